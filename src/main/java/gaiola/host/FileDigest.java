package gaiola.host;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * SHA-256 of a file's bytes, read with read(2) into native memory and hashed there by OpenSSL's
 * libcrypto: the bytes never enter the Java heap, and the hashing runs the CPU's SHA instructions
 * from the first file on. The JDK's own SHA-256 reaches that speed only once C2 has compiled it
 * (C1 code hashes at a tenth of it), and compiling cost vhashify more processor time than the
 * hashing itself. Without libcrypto (Debian's libssl3) the JDK's digest is used, with the same
 * result. One instance per thread: neither digest is thread-safe.
 */
public final class FileDigest {
  private static final long SYS_READ = 0;
  private static final int EINTR = 4;
  private static final int BUFFER = 1 << 18;

  /** libcrypto's EVP calls, linked once; empty when the library is not installed. */
  private static final class Crypto {
    static final Optional<Crypto> INSTANCE = load();

    final MethodHandle ctxNew;
    final MethodHandle init;
    final MethodHandle update;
    final MethodHandle fin;
    final MethodHandle ctxFree;
    final long sha256;

    private Crypto(SymbolLookup lib) throws Throwable {
      Linker linker = Linker.nativeLinker();
      // Pointers travel as longs (the same registers): no MemorySegment per call.
      FunctionDescriptor threeArgs =
          FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
      ctxNew = linker.downcallHandle(find(lib, "EVP_MD_CTX_new"), FunctionDescriptor.of(ValueLayout.JAVA_LONG));
      init = linker.downcallHandle(find(lib, "EVP_DigestInit_ex"), threeArgs);
      update = linker.downcallHandle(find(lib, "EVP_DigestUpdate"), threeArgs);
      fin = linker.downcallHandle(find(lib, "EVP_DigestFinal_ex"), threeArgs);
      ctxFree = linker.downcallHandle(find(lib, "EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
      MethodHandle fetch = linker.downcallHandle(find(lib, "EVP_MD_fetch"), threeArgs);
      MemorySegment name = Arena.global().allocateFrom("SHA256");
      sha256 = (long) fetch.invokeExact(0L, name.address(), 0L);
      if (sha256 == 0) {
        throw new LinkageError("libcrypto has no SHA256");
      }
    }

    private static MemorySegment find(SymbolLookup lib, String symbol) {
      return lib.find(symbol).orElseThrow(() -> new LinkageError("libcrypto has no " + symbol));
    }

    private static Optional<Crypto> load() {
      try {
        return Optional.of(new Crypto(SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global())));
      } catch (Throwable t) {
        return Optional.empty();
      }
    }
  }

  private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
  private final Arena arena = Arena.ofAuto();
  private final MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
  private final MemorySegment buffer = arena.allocate(BUFFER, 4096);
  private final MemorySegment out = arena.allocate(64, 8);
  private final Crypto crypto;
  private final long ctx;
  private final MessageDigest jdk;
  private final byte[] chunk;

  /** A digest through libcrypto when it is installed, else through the JDK. */
  public FileDigest() {
    this(true);
  }

  FileDigest(boolean useLibcrypto) {
    crypto = useLibcrypto ? Crypto.INSTANCE.orElse(null) : null;
    if (crypto == null) {
      ctx = 0;
      try {
        jdk = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
      chunk = new byte[BUFFER];
      return;
    }
    jdk = null;
    chunk = null;
    long c;
    try {
      c = (long) crypto.ctxNew.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("EVP_MD_CTX_new", t);
    }
    if (c == 0) {
      throw new OutOfMemoryError("EVP_MD_CTX_new");
    }
    ctx = c;
    // The context lives as long as this object (one per worker thread), then goes back to libcrypto.
    Crypto lib = crypto;
    CLEANER.register(this, () -> {
      try {
        lib.ctxFree.invokeExact(c);
      } catch (Throwable t) {
        // Nothing to do: the memory stays allocated.
      }
    });
  }

  /** Whether this host hashes through libcrypto (for the verbose report). */
  public static boolean usesLibcrypto() {
    return Crypto.INSTANCE.isPresent();
  }

  /**
   * The digest of the first {@code expectedSize} bytes of the open file {@code fd} (read from its
   * current position); {@code bytesRead[0]} says how many there were. Reading stops at the expected
   * size: a file that grew meanwhile shows a new size or time when it is checked again before it
   * is replaced, and one that shrank shows fewer bytes read.
   */
  public byte[] of(int fd, long expectedSize, long[] bytesRead, byte[] name) throws IOException {
    begin();
    long total = 0;
    while (total < expectedSize) {
      long n = Native.syscall(errno, SYS_READ, fd, buffer.address(), Math.min(BUFFER, expectedSize - total), 0, 0, 0);
      if (n < 0) {
        int e = Native.errno(errno);
        if (e == EINTR) {
          continue;
        }
        throw new FileCalls.CallException("read", name, e);
      }
      if (n == 0) {
        break;
      }
      update(n);
      total += n;
    }
    bytesRead[0] = total;
    return finish();
  }

  private void begin() {
    if (crypto == null) {
      jdk.reset();
      return;
    }
    try {
      check((int) (long) crypto.init.invokeExact(ctx, crypto.sha256, 0L), "EVP_DigestInit_ex");
    } catch (Throwable t) {
      throw wrap(t, "EVP_DigestInit_ex");
    }
  }

  private void update(long n) {
    if (crypto == null) {
      MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, chunk, 0, (int) n);
      jdk.update(chunk, 0, (int) n);
      return;
    }
    try {
      check((int) (long) crypto.update.invokeExact(ctx, buffer.address(), n), "EVP_DigestUpdate");
    } catch (Throwable t) {
      throw wrap(t, "EVP_DigestUpdate");
    }
  }

  private byte[] finish() {
    if (crypto == null) {
      return jdk.digest();
    }
    try {
      check((int) (long) crypto.fin.invokeExact(ctx, out.address(), 0L), "EVP_DigestFinal_ex");
    } catch (Throwable t) {
      throw wrap(t, "EVP_DigestFinal_ex");
    }
    return out.asSlice(0, 32).toArray(ValueLayout.JAVA_BYTE);
  }

  private static void check(int ok, String call) {
    if (ok != 1) {
      throw new IllegalStateException(call + " failed");
    }
  }

  private static IllegalStateException wrap(Throwable t, String call) {
    return t instanceof IllegalStateException e ? e : new IllegalStateException(call, t);
  }
}
