package gaiola.host;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The file system calls of tree copies and archive unpacking, made relative to directory
 * descriptors with byte-exact names, so that a name is never re-resolved through a link and never
 * passes through a character set. Every failure is an {@link IOException} naming the call, the name
 * and the system's message. Descriptors may be shared between threads; the scratch memory is per
 * thread.
 */
public final class FileCalls {
  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_NOCTTY = 0400;
  public static final int O_NONBLOCK = 04000;
  public static final int O_DIRECTORY = 0200000;
  public static final int O_NOFOLLOW = 0400000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;
  public static final int AT_FDCWD = -100;
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;
  public static final int AT_REMOVEDIR = 0x200;
  public static final int EEXIST = 17;
  public static final int ENOENT = 2;
  public static final int ENODATA = 61;
  public static final int ENOTSUP = 95;
  public static final int ERANGE = 34;
  public static final int EXDEV = 18;
  public static final int EINTR = 4;

  /** File types in {@code st_mode}. */
  public static final int S_IFMT = 0170000;
  public static final int S_IFSOCK = 0140000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFIFO = 0010000;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final VarHandle ERRNO_HANDLE =
      Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
  private static final ValueLayout A = ValueLayout.ADDRESS;

  private static final MethodHandle OPENAT = call("openat", FunctionDescriptor.of(I, I, A, I, I), 3);
  private static final MethodHandle MKDIRAT = call("mkdirat", FunctionDescriptor.of(I, I, A, I), -1);
  private static final MethodHandle MKNODAT = call("mknodat", FunctionDescriptor.of(I, I, A, I, L), -1);
  private static final MethodHandle SYMLINKAT = call("symlinkat", FunctionDescriptor.of(I, A, I, A), -1);
  private static final MethodHandle LINKAT = call("linkat", FunctionDescriptor.of(I, I, A, I, A, I), -1);
  private static final MethodHandle RENAMEAT = call("renameat", FunctionDescriptor.of(I, I, A, I, A), -1);
  private static final MethodHandle UNLINKAT = call("unlinkat", FunctionDescriptor.of(I, I, A, I), -1);
  private static final MethodHandle READLINKAT = call("readlinkat", FunctionDescriptor.of(L, I, A, A, L), -1);
  private static final MethodHandle FCHOWNAT = call("fchownat", FunctionDescriptor.of(I, I, A, I, I, I), -1);
  private static final MethodHandle FCHMODAT = call("fchmodat", FunctionDescriptor.of(I, I, A, I, I), -1);
  private static final MethodHandle FCHOWN = call("fchown", FunctionDescriptor.of(I, I, I, I), -1);
  private static final MethodHandle FCHMOD = call("fchmod", FunctionDescriptor.of(I, I, I), -1);
  private static final MethodHandle UTIMENSAT = call("utimensat", FunctionDescriptor.of(I, I, A, A, I), -1);
  private static final MethodHandle FSTATAT = call("fstatat", FunctionDescriptor.of(I, I, A, A, I), -1);
  private static final MethodHandle WRITE = call("write", FunctionDescriptor.of(L, I, A, L), -1);
  private static final MethodHandle READ = call("read", FunctionDescriptor.of(L, I, A, L), -1);
  private static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(I, I), -1);
  private static final MethodHandle COPY_FILE_RANGE =
      call("copy_file_range", FunctionDescriptor.of(L, I, A, I, A, L, I), -1);
  private static final MethodHandle SETXATTR = call("setxattr", FunctionDescriptor.of(I, A, A, A, L, I), -1);
  private static final MethodHandle GETXATTR = call("getxattr", FunctionDescriptor.of(L, A, A, A, L), -1);
  private static final MethodHandle LISTXATTR = call("listxattr", FunctionDescriptor.of(L, A, A, L), -1);
  private static final MethodHandle LGETXATTR = call("lgetxattr", FunctionDescriptor.of(L, A, A, A, L), -1);
  private static final MethodHandle LLISTXATTR = call("llistxattr", FunctionDescriptor.of(L, A, A, L), -1);
  private static final MethodHandle FDOPENDIR = call("fdopendir", FunctionDescriptor.of(A, I), -1);
  private static final MethodHandle READDIR = call("readdir", FunctionDescriptor.of(A, A), -1);
  private static final MethodHandle CLOSEDIR = call("closedir", FunctionDescriptor.of(I, A), -1);
  private static final MethodHandle STRERROR = call("strerror", FunctionDescriptor.of(A, I), -1);

  /** Per-thread native memory: the errno slot, two names, a value buffer and an I/O buffer. */
  private static final class Scratch {
    final Arena arena = Arena.ofAuto();
    final MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
    final MemorySegment name1 = arena.allocate(8192);
    final MemorySegment name2 = arena.allocate(8192);
    final MemorySegment small = arena.allocate(256, 8);
    MemorySegment value = arena.allocate(65536);
    final MemorySegment io = arena.allocate(IO_SIZE, 4096);
  }

  /** The size of the per-thread I/O buffer used by {@link #write(int, byte[], int, int)}. */
  public static final int IO_SIZE = 1 << 20;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private FileCalls() {}

  private static MethodHandle call(String name, FunctionDescriptor fd, int firstVariadic) {
    MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new LinkageError("libc has no " + name));
    return firstVariadic < 0
        ? LINKER.downcallHandle(symbol, fd, ERRNO)
        : LINKER.downcallHandle(symbol, fd, Linker.Option.firstVariadicArg(firstVariadic), ERRNO);
  }

  private static MemorySegment cstr(MemorySegment buf, byte[] name) throws IOException {
    if (name.length >= buf.byteSize()) {
      throw new IOException("name too long (" + name.length + " bytes)");
    }
    MemorySegment.copy(name, 0, buf, ValueLayout.JAVA_BYTE, 0, name.length);
    buf.set(ValueLayout.JAVA_BYTE, name.length, (byte) 0);
    return buf;
  }

  private static int errno(Scratch s) {
    return (int) ERRNO_HANDLE.get(s.errno, 0L);
  }

  /** The system's message for an errno ("No such file or directory"). */
  public static String message(int errno) {
    try {
      MemorySegment p = (MemorySegment) STRERROR.invokeExact(SCRATCH.get().errno, errno);
      return p.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  /** A failed call: the errno is kept so callers can tell "exists" from worse. */
  public static final class CallException extends IOException {
    private final int errno;

    CallException(String call, byte[] name, int errno) {
      super(call + " " + show(name) + ": " + message(errno));
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }
  }

  /** A name for messages: printable as UTF-8 where it is, escaped bytes otherwise. */
  public static String show(byte[] name) {
    if (name == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (byte x : name) {
      int c = x & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        b.append((char) c);
      } else {
        b.append(String.format("\\x%02x", c));
      }
    }
    return b.toString();
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int check(int r, Scratch s, String call, byte[] name) throws CallException {
    if (r < 0) {
      throw new CallException(call, name, errno(s));
    }
    return r;
  }

  private static long check(long r, Scratch s, String call, byte[] name) throws CallException {
    if (r < 0) {
      throw new CallException(call, name, errno(s));
    }
    return r;
  }

  public static int openat(int dirfd, byte[] name, int flags, int mode) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      return check((int) OPENAT.invokeExact(s.errno, dirfd, cstr(s.name1, name), flags | O_CLOEXEC, mode), s, "open", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void mkdirat(int dirfd, byte[] name, int mode) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) MKDIRAT.invokeExact(s.errno, dirfd, cstr(s.name1, name), mode), s, "mkdir", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void mknodat(int dirfd, byte[] name, int mode, long dev) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) MKNODAT.invokeExact(s.errno, dirfd, cstr(s.name1, name), mode, dev), s, "mknod", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void symlinkat(byte[] target, int dirfd, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) SYMLINKAT.invokeExact(s.errno, cstr(s.name2, target), dirfd, cstr(s.name1, name)), s, "symlink", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** A hard link; never follows a link at {@code oldName} (no AT_SYMLINK_FOLLOW). */
  public static void linkat(int oldDir, byte[] oldName, int newDir, byte[] newName) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) LINKAT.invokeExact(s.errno, oldDir, cstr(s.name2, oldName), newDir, cstr(s.name1, newName), 0), s, "link", newName);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Renames within or between directories; a link at the new name is replaced, not followed. */
  public static void renameat(int oldDir, byte[] oldName, int newDir, byte[] newName) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) RENAMEAT.invokeExact(s.errno, oldDir, cstr(s.name2, oldName), newDir, cstr(s.name1, newName)), s, "rename", newName);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void unlinkat(int dirfd, byte[] name, int flags) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) UNLINKAT.invokeExact(s.errno, dirfd, cstr(s.name1, name), flags), s, "unlink", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static byte[] readlinkat(int dirfd, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      long n = check((long) READLINKAT.invokeExact(s.errno, dirfd, cstr(s.name1, name), s.name2, s.name2.byteSize()), s, "readlink", name);
      return s.name2.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Owner of the entry itself, never of a link's target. */
  public static void lchownat(int dirfd, byte[] name, int uid, int gid) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) FCHOWNAT.invokeExact(s.errno, dirfd, cstr(s.name1, name), uid, gid, AT_SYMLINK_NOFOLLOW), s, "chown", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Mode of a name that is known not to be a symbolic link (a node just made). */
  public static void chmodat(int dirfd, byte[] name, int mode) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) FCHMODAT.invokeExact(s.errno, dirfd, cstr(s.name1, name), mode, 0), s, "chmod", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void fchown(int fd, int uid, int gid, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) FCHOWN.invokeExact(s.errno, fd, uid, gid), s, "chown", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void fchmod(int fd, int mode, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    try {
      check((int) FCHMOD.invokeExact(s.errno, fd, mode), s, "chmod", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Access and modification times of {@code name} below {@code dirfd} (an empty name: the
   * descriptor itself), never through a link; {@code atimeNanos} below zero leaves atime alone.
   */
  public static void utimensat(int dirfd, byte[] name, long atimeNanos, long mtimeNanos) throws IOException {
    Scratch s = SCRATCH.get();
    MemorySegment ts = s.small;
    if (atimeNanos < 0) {
      ts.set(L, 0, 0);
      ts.set(L, 8, (1L << 30) - 2); // UTIME_OMIT
    } else {
      ts.set(L, 0, Math.floorDiv(atimeNanos, 1_000_000_000L));
      ts.set(L, 8, Math.floorMod(atimeNanos, 1_000_000_000L));
    }
    ts.set(L, 16, Math.floorDiv(mtimeNanos, 1_000_000_000L));
    ts.set(L, 24, Math.floorMod(mtimeNanos, 1_000_000_000L));
    try {
      MemorySegment n = name.length == 0 ? MemorySegment.NULL : cstr(s.name1, name);
      int flags = name.length == 0 ? 0 : AT_SYMLINK_NOFOLLOW;
      check((int) UTIMENSAT.invokeExact(s.errno, dirfd, n, ts, flags), s, "utimes", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The status of {@code name} below {@code dirfd}, of a link itself (lstat). */
  public static Stat lstatat(int dirfd, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    MemorySegment st = s.small;
    try {
      check((int) FSTATAT.invokeExact(s.errno, dirfd, cstr(s.name1, name), st, AT_SYMLINK_NOFOLLOW), s, "stat", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    // x86-64 struct stat
    return new Stat(
        st.get(L, 0), st.get(L, 8), st.get(L, 16), st.get(I, 24), st.get(I, 28), st.get(I, 32),
        st.get(L, 40), st.get(L, 48),
        st.get(L, 72) * 1_000_000_000L + st.get(L, 80),
        st.get(L, 88) * 1_000_000_000L + st.get(L, 96));
  }

  /** What {@link #lstatat} reads; times in nanoseconds since the epoch. */
  public record Stat(
      long dev, long ino, long nlink, int mode, int uid, int gid, long rdev, long size, long atime, long mtime) {
    public int type() {
      return mode & S_IFMT;
    }

    public int permissions() {
      return mode & 07777;
    }
  }

  /** Writes all of {@code len} bytes, through the thread's native buffer. */
  public static void write(int fd, byte[] data, int off, int len, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    while (len > 0) {
      int chunk = Math.min(len, IO_SIZE);
      MemorySegment.copy(data, off, s.io, ValueLayout.JAVA_BYTE, 0, chunk);
      int done = 0;
      while (done < chunk) {
        long n;
        try {
          n = (long) WRITE.invokeExact(s.errno, fd, s.io.asSlice(done), (long) (chunk - done));
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
        if (n < 0 && errno(s) == EINTR) {
          continue;
        }
        check(n, s, "write", name);
        done += (int) n;
      }
      off += chunk;
      len -= chunk;
    }
  }

  /** Reads up to {@code len} bytes; 0 at the end. */
  public static int read(int fd, byte[] data, int off, int len, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    int want = Math.min(len, IO_SIZE);
    while (true) {
      long n;
      try {
        n = (long) READ.invokeExact(s.errno, fd, s.io, (long) want);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      if (n < 0 && errno(s) == EINTR) {
        continue;
      }
      check(n, s, "read", name);
      MemorySegment.copy(s.io, ValueLayout.JAVA_BYTE, 0, data, off, (int) n);
      return (int) n;
    }
  }

  /**
   * Copies everything from {@code in} (at its start) to {@code out} inside the kernel, falling back
   * to reads and writes where the kernel cannot copy between the two.
   */
  public static void copyAll(int in, int out, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    while (true) {
      long n;
      try {
        n = (long) COPY_FILE_RANGE.invokeExact(s.errno, in, MemorySegment.NULL, out, MemorySegment.NULL, 1L << 30, 0);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      if (n == 0) {
        return;
      }
      if (n < 0) {
        int e = errno(s);
        if (e == EINTR) {
          continue;
        }
        if (e == EXDEV || e == 22 || e == 38 || e == ENOTSUP) {
          byte[] buf = new byte[IO_SIZE];
          int r;
          while ((r = read(in, buf, 0, buf.length, name)) > 0) {
            write(out, buf, 0, r, name);
          }
          return;
        }
        throw new CallException("copy", name, e);
      }
    }
  }

  public static void close(int fd) {
    if (fd < 0) {
      return;
    }
    try {
      int ignored = (int) CLOSE.invokeExact(SCRATCH.get().errno, fd);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** {@code /proc/self/fd/N}, the path through which xattr calls reach a descriptor's inode. */
  private static byte[] procFd(int fd) {
    return bytes("/proc/self/fd/" + fd);
  }

  /**
   * Sets an extended attribute on the inode behind {@code fd} (any kind of descriptor but one of
   * a symbolic link: O_PATH descriptors of devices and fifos included).
   */
  public static void setxattr(int fd, byte[] attr, byte[] value, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    MemorySegment v = valueBuffer(s, value.length);
    MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
    try {
      check((int) SETXATTR.invokeExact(s.errno, cstr(s.name1, procFd(fd)), cstr(s.name2, attr), v, (long) value.length, 0), s,
          "setxattr " + new String(attr, StandardCharsets.UTF_8) + " on", name);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static MemorySegment valueBuffer(Scratch s, long size) {
    if (s.value.byteSize() < size) {
      s.value = s.arena.allocate(size);
    }
    return s.value;
  }

  /**
   * The extended attributes of the inode behind {@code fd} ({@code followLinks} false: the
   * descriptor is an O_PATH one of a symbolic link, read the link's own), name to value.
   */
  public static java.util.Map<byte[], byte[]> xattrs(int fd, boolean ofLink, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    MemorySegment path = cstr(s.name1, procFd(fd));
    java.util.Map<byte[], byte[]> result = new java.util.LinkedHashMap<>();
    long n;
    try {
      n = ofLink
          ? (long) LLISTXATTR.invokeExact(s.errno, path, s.name2, s.name2.byteSize())
          : (long) LISTXATTR.invokeExact(s.errno, path, s.name2, s.name2.byteSize());
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    if (n < 0) {
      int e = errno(s);
      if (e == ENOTSUP) {
        return result;
      }
      throw new CallException("listxattr", name, e);
    }
    byte[] list = s.name2.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    int start = 0;
    for (int i = 0; i < list.length; i++) {
      if (list[i] == 0) {
        byte[] attr = java.util.Arrays.copyOfRange(list, start, i);
        start = i + 1;
        MemorySegment v = valueBuffer(s, 65536);
        long len;
        try {
          cstr(s.name2, attr);
          len = ofLink
              ? (long) LGETXATTR.invokeExact(s.errno, path, s.name2, v, v.byteSize())
              : (long) GETXATTR.invokeExact(s.errno, path, s.name2, v, v.byteSize());
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
        if (len < 0 && errno(s) == ENODATA) {
          continue;
        }
        check(len, s, "getxattr", name);
        result.put(attr, v.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
      }
    }
    return result;
  }

  /**
   * The names in the directory behind {@code dirfd}, without {@code .} and {@code ..}. The
   * descriptor is duplicated by opening {@code .} below it, so the caller's stays open.
   */
  public static java.util.List<byte[]> list(int dirfd, byte[] name) throws IOException {
    int fd = openat(dirfd, new byte[] {'.'}, O_RDONLY | O_DIRECTORY, 0);
    MemorySegment dir;
    Scratch s = SCRATCH.get();
    try {
      dir = (MemorySegment) FDOPENDIR.invokeExact(s.errno, fd);
    } catch (Throwable t) {
      close(fd);
      throw new IllegalStateException(t);
    }
    if (dir.equals(MemorySegment.NULL)) {
      int e = errno(s);
      close(fd);
      throw new CallException("opendir", name, e);
    }
    java.util.List<byte[]> names = new java.util.ArrayList<>();
    try {
      while (true) {
        MemorySegment ent = (MemorySegment) READDIR.invokeExact(s.errno, dir);
        if (ent.equals(MemorySegment.NULL)) {
          break;
        }
        MemorySegment d = ent.reinterpret(19 + 256);
        int len = 0;
        while (d.get(ValueLayout.JAVA_BYTE, 19 + len) != 0) {
          len++;
        }
        if ((len == 1 && d.get(ValueLayout.JAVA_BYTE, 19) == '.')
            || (len == 2 && d.get(ValueLayout.JAVA_BYTE, 19) == '.' && d.get(ValueLayout.JAVA_BYTE, 20) == '.')) {
          continue;
        }
        names.add(d.asSlice(19, len).toArray(ValueLayout.JAVA_BYTE));
      }
      int ignored = (int) CLOSEDIR.invokeExact(s.errno, dir);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    return names;
  }

  /** glibc's makedev. */
  public static long makedev(long major, long minor) {
    return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
  }

  public static long major(long dev) {
    return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
  }

  public static long minor(long dev) {
    return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
  }
}
