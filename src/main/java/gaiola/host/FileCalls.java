package gaiola.host;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
  public static final int ENOTDIR = 20;
  public static final int ELOOP = 40;
  public static final int ENODATA = 61;
  public static final int ENOTSUP = 95;
  public static final int EBADF = 9;
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

  /** strerror(3), linked only when an error message is wanted. */
  private static final class Strerror {
    static final MethodHandle H;

    static {
      Linker linker = Linker.nativeLinker();
      H = linker.downcallHandle(
          linker.defaultLookup().find("strerror").orElseThrow(() -> new LinkageError("libc has no strerror")),
          FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }
  }

  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

  // x86-64 system call numbers
  private static final long SYS_READ = 0, SYS_WRITE = 1, SYS_CLOSE = 3, SYS_FCHMOD = 91, SYS_FCHOWN = 93,
      SYS_SETXATTR = 188, SYS_FSETXATTR = 190, SYS_GETXATTR = 191, SYS_FGETXATTR = 193, SYS_FLISTXATTR = 196, SYS_LGETXATTR = 192, SYS_LISTXATTR = 194, SYS_LLISTXATTR = 195,
      SYS_GETDENTS64 = 217, SYS_OPENAT = 257, SYS_MKDIRAT = 258, SYS_MKNODAT = 259, SYS_FCHOWNAT = 260,
      SYS_NEWFSTATAT = 262, SYS_UNLINKAT = 263, SYS_RENAMEAT = 264, SYS_LINKAT = 265, SYS_SYMLINKAT = 266,
      SYS_READLINKAT = 267, SYS_FCHMODAT = 268, SYS_UTIMENSAT = 280, SYS_FALLOCATE = 285, SYS_COPY_FILE_RANGE = 326;

  private static long sys(Scratch s, long nr, long a, long b, long c, long d, long e, long f) {
    return Native.syscall(s.errno, nr, a, b, c, d, e, f);
  }

  private static long addr(MemorySegment m) {
    return m.address();
  }

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

  private static MemorySegment cstr(MemorySegment buf, byte[] name) throws IOException {
    if (name.length >= buf.byteSize()) {
      throw new IOException("name too long (" + name.length + " bytes)");
    }
    MemorySegment.copy(name, 0, buf, ValueLayout.JAVA_BYTE, 0, name.length);
    buf.set(ValueLayout.JAVA_BYTE, name.length, (byte) 0);
    return buf;
  }

  private static int errno(Scratch s) {
    return Native.errno(s.errno);
  }

  /** The system's message for an errno ("No such file or directory"). */
  public static String message(int errno) {
    try {
      MemorySegment p = (MemorySegment) Strerror.H.invokeExact(errno);
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

  private static long check(long r, Scratch s, String call, byte[] name) throws CallException {
    if (r < 0) {
      throw new CallException(call, name, errno(s));
    }
    return r;
  }

  public static int openat(int dirfd, byte[] name, int flags, int mode) throws IOException {
    Scratch s = SCRATCH.get();
    return (int) check(sys(s, SYS_OPENAT, dirfd, addr(cstr(s.name1, name)), flags | O_CLOEXEC, mode, 0, 0), s, "open", name);
  }

  public static void mkdirat(int dirfd, byte[] name, int mode) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_MKDIRAT, dirfd, addr(cstr(s.name1, name)), mode, 0, 0, 0), s, "mkdir", name);
  }

  public static void mknodat(int dirfd, byte[] name, int mode, long dev) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_MKNODAT, dirfd, addr(cstr(s.name1, name)), mode, dev, 0, 0), s, "mknod", name);
  }

  public static void symlinkat(byte[] target, int dirfd, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_SYMLINKAT, addr(cstr(s.name2, target)), dirfd, addr(cstr(s.name1, name)), 0, 0, 0), s, "symlink", name);
  }

  /** A hard link; never follows a link at {@code oldName} (no AT_SYMLINK_FOLLOW). */
  public static void linkat(int oldDir, byte[] oldName, int newDir, byte[] newName) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_LINKAT, oldDir, addr(cstr(s.name2, oldName)), newDir, addr(cstr(s.name1, newName)), 0, 0), s, "link", newName);
  }

  /** Renames within or between directories; a link at the new name is replaced, not followed. */
  public static void renameat(int oldDir, byte[] oldName, int newDir, byte[] newName) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_RENAMEAT, oldDir, addr(cstr(s.name2, oldName)), newDir, addr(cstr(s.name1, newName)), 0, 0), s, "rename", newName);
  }

  public static void unlinkat(int dirfd, byte[] name, int flags) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_UNLINKAT, dirfd, addr(cstr(s.name1, name)), flags, 0, 0, 0), s, "unlink", name);
  }

  public static byte[] readlinkat(int dirfd, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    long n = check(sys(s, SYS_READLINKAT, dirfd, addr(cstr(s.name1, name)), addr(s.name2), s.name2.byteSize(), 0, 0), s, "readlink", name);
    return s.name2.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
  }

  /** Owner of the entry itself, never of a link's target. */
  public static void lchownat(int dirfd, byte[] name, int uid, int gid) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_FCHOWNAT, dirfd, addr(cstr(s.name1, name)), uid, gid, AT_SYMLINK_NOFOLLOW, 0), s, "chown", name);
  }

  /** Mode of a name that is known not to be a symbolic link (a node just made). */
  public static void chmodat(int dirfd, byte[] name, int mode) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_FCHMODAT, dirfd, addr(cstr(s.name1, name)), mode, 0, 0, 0), s, "chmod", name);
  }

  public static void fchown(int fd, int uid, int gid, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_FCHOWN, fd, uid & 0xffffffffL, gid & 0xffffffffL, 0, 0, 0), s, "chown", name);
  }

  public static void fchmod(int fd, int mode, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    check(sys(s, SYS_FCHMOD, fd, mode, 0, 0, 0, 0), s, "chmod", name);
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
    // The kernel's utimensat with a null name acts on the descriptor itself (glibc's refuses it).
    long path = name.length == 0 ? 0 : addr(cstr(s.name1, name));
    check(sys(s, SYS_UTIMENSAT, dirfd, path, addr(ts), name.length == 0 ? 0 : AT_SYMLINK_NOFOLLOW, 0, 0), s, "utimes", name);
  }

  /** The status of {@code name} below {@code dirfd}, of a link itself (lstat). */
  public static Stat lstatat(int dirfd, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    MemorySegment st = s.small;
    check(sys(s, SYS_NEWFSTATAT, dirfd, addr(cstr(s.name1, name)), addr(st), AT_SYMLINK_NOFOLLOW, 0, 0), s, "stat", name);
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
        long n = sys(s, SYS_WRITE, fd, addr(s.io) + done, chunk - done, 0, 0, 0);
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
      long n = sys(s, SYS_READ, fd, addr(s.io), want, 0, 0, 0);
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
  public static void copyAll(int in, int out, long size, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    long left = size;
    while (left > 0) {
      long n = sys(s, SYS_COPY_FILE_RANGE, in, 0, out, 0, Math.min(left, 1L << 30), 0);
      if (n == 0) {
        throw new IOException("copy " + show(name) + ": the file shrank while it was copied; stop its guest first");
      }
      if (n > 0) {
        left -= n;
        continue;
      }
      if (n < 0) {
        int e = errno(s);
        if (e == EINTR) {
          continue;
        }
        if (e == EXDEV || e == 22 || e == 38 || e == ENOTSUP) {
          byte[] buf = new byte[IO_SIZE];
          int r;
          while (left > 0 && (r = read(in, buf, 0, (int) Math.min(buf.length, left), name)) > 0) {
            write(out, buf, 0, r, name);
            left -= r;
          }
          return;
        }
        throw new CallException("copy", name, e);
      }
    }
  }

  private static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
  private static final int EINVAL = 22;

  /**
   * Removes the first {@code length} bytes of a file opened for writing, shifting the rest down, in
   * one step that appending writers wait for (fallocate(2)'s FALLOC_FL_COLLAPSE_RANGE). The length
   * must be a multiple of the file system's block size and end before the file does.
   *
   * @return false when the file system cannot do it (EOPNOTSUPP: tmpfs, btrfs; EINVAL: a length it
   *     will not cut, as under ext4's bigalloc clusters); the file is then unchanged
   */
  public static boolean collapseHead(int fd, long length, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    while (true) {
      if (sys(s, SYS_FALLOCATE, fd, FALLOC_FL_COLLAPSE_RANGE, 0, length, 0, 0) == 0) {
        return true;
      }
      int e = errno(s);
      if (e == ENOTSUP || e == EINVAL) {
        return false;
      }
      if (e != EINTR) {
        throw new CallException("fallocate", name, e);
      }
    }
  }

  public static void close(int fd) {
    if (fd >= 0) {
      sys(SCRATCH.get(), SYS_CLOSE, fd, 0, 0, 0, 0, 0);
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
    if (sys(s, SYS_FSETXATTR, fd, addr(cstr(s.name2, attr)), addr(v), value.length, 0, 0) == 0) {
      return;
    }
    if (errno(s) != EBADF) {
      throw new CallException("setxattr " + new String(attr, StandardCharsets.UTF_8) + " on", name, errno(s));
    }
    // An O_PATH descriptor (a device, a fifo): through its /proc path.
    check(sys(s, SYS_SETXATTR, addr(cstr(s.name1, procFd(fd))), addr(cstr(s.name2, attr)), addr(v), value.length, 0, 0), s,
        "setxattr " + new String(attr, StandardCharsets.UTF_8) + " on", name);
  }

  private static MemorySegment valueBuffer(Scratch s, long size) {
    if (s.value.byteSize() < size) {
      s.value = s.arena.allocate(size);
    }
    return s.value;
  }

  /**
   * The extended attributes of the inode behind {@code fd} ({@code ofLink}: the descriptor is an
   * O_PATH one of a symbolic link, read the link's own), name to value.
   */
  public static java.util.Map<byte[], byte[]> xattrs(int fd, boolean ofLink, byte[] name) throws IOException {
    Scratch s = SCRATCH.get();
    java.util.Map<byte[], byte[]> result = new java.util.LinkedHashMap<>();
    boolean direct = !ofLink;
    long path = fd;
    long n = direct ? sys(s, SYS_FLISTXATTR, fd, addr(s.name2), s.name2.byteSize(), 0, 0, 0) : -1;
    if (!direct || (n < 0 && errno(s) == EBADF)) {
      // An O_PATH descriptor: through its /proc path.
      direct = false;
      path = addr(cstr(s.name1, procFd(fd)));
      n = sys(s, ofLink ? SYS_LLISTXATTR : SYS_LISTXATTR, path, addr(s.name2), s.name2.byteSize(), 0, 0, 0);
    }
    if (n < 0) {
      int e = errno(s);
      if (e == ENOTSUP) {
        return result;
      }
      throw new CallException("listxattr", name, e);
    }
    if (n == 0) {
      return result;
    }
    byte[] list = s.name2.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    int start = 0;
    for (int i = 0; i < list.length; i++) {
      if (list[i] == 0) {
        byte[] attr = java.util.Arrays.copyOfRange(list, start, i);
        start = i + 1;
        MemorySegment v = valueBuffer(s, 65536);
        long nr = direct ? SYS_FGETXATTR : ofLink ? SYS_LGETXATTR : SYS_GETXATTR;
        long len = sys(s, nr, path, addr(cstr(s.name2, attr)), addr(v), v.byteSize(), 0, 0);
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
   * The names in the directory behind {@code dirfd}, without {@code .} and {@code ..}, read with
   * getdents64 through a descriptor of its own, so the caller's keeps its position.
   */
  public static java.util.List<byte[]> list(int dirfd, byte[] name) throws IOException {
    int fd = openat(dirfd, new byte[] {'.'}, O_RDONLY | O_DIRECTORY, 0);
    Scratch s = SCRATCH.get();
    java.util.List<byte[]> names = new java.util.ArrayList<>();
    try {
      while (true) {
        long n = check(sys(s, SYS_GETDENTS64, fd, addr(s.io), IO_SIZE, 0, 0, 0), s, "getdents", name);
        if (n == 0) {
          break;
        }
        int pos = 0;
        while (pos < n) {
          int reclen = s.io.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos + 16) & 0xffff;
          int len = 0;
          while (s.io.get(ValueLayout.JAVA_BYTE, pos + 19 + len) != 0) {
            len++;
          }
          boolean dot = len == 1 && s.io.get(ValueLayout.JAVA_BYTE, pos + 19) == '.';
          boolean dotdot = len == 2 && s.io.get(ValueLayout.JAVA_BYTE, pos + 19) == '.'
              && s.io.get(ValueLayout.JAVA_BYTE, pos + 20) == '.';
          if (!dot && !dotdot) {
            names.add(s.io.asSlice(pos + 19, len).toArray(ValueLayout.JAVA_BYTE));
          }
          pos += reclen;
        }
      }
    } finally {
      close(fd);
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
