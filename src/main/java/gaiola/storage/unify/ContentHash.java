package gaiola.storage.unify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a file's content, streamed through a fixed buffer (a file is never held in memory).
 *
 * <p>Why SHA-256: it is collision-resistant, so equal digests may be trusted without a byte
 * compare, and the JDK compiles it to the CPU's SHA extensions (SHA-NI on x86-64, the SHA2
 * instructions on ARMv8), which hash at well over 1 GB/s per core: faster than the page cache can
 * be read through system calls. BLAKE3 or XXH3 would need a native library or a byte compare on
 * every match, for no gain on such hosts. One instance per thread: MessageDigest is not
 * thread-safe.
 */
final class ContentHash {
  private final MessageDigest digest;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 17);
  private final byte[] chunk = new byte[1 << 17];

  ContentHash() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The digest of the file's bytes; {@code bytesRead} says how many were hashed. Reading stops at
   * {@code expectedSize} (no read just to see the end): a file that grew meanwhile shows a new
   * size or time when it is checked again before it is replaced.
   */
  byte[] of(Path file, long expectedSize, long[] bytesRead) throws IOException {
    digest.reset();
    long total = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      while (total < expectedSize) {
        buffer.clear();
        int n = ch.read(buffer);
        if (n < 0) {
          break;
        }
        buffer.flip();
        // MessageDigest copies a direct buffer in small pieces; one bulk copy to an array is cheaper.
        buffer.get(chunk, 0, n);
        digest.update(chunk, 0, n);
        total += n;
      }
    }
    bytesRead[0] = total;
    return digest.digest();
  }

  /**
   * Gets SHA-256 compiled by C2, whose intrinsic uses the CPU's SHA instructions (about ten times
   * the speed of the interpreted and C1 code), before files are hashed: many small updates make
   * the digest's update path hot quickly and cost about 0.1 s of one core.
   */
  static void warmUp() {
    Thread.ofPlatform().daemon().name("sha256-warm-up").start(() -> {
      try {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[128];
        for (int i = 0; i < 50_000; i++) {
          d.update(block);
        }
        d.digest();
      } catch (NoSuchAlgorithmException e) {
        // The hashing itself will report it.
      }
    });
  }
}
