package gaiola.host;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What lstat(2) says about one file, in one system call: identity (dev, inode), link count, type
 * and permission bits, owner, size, allocated blocks and modification time. The JDK's "unix:" view
 * gives most of it through a map, but not the allocated blocks that du counts.
 */
public record FileStat(
    long dev, long ino, long nlink, int mode, int uid, int gid, long size, long blocks,
    long mtimeSec, long mtimeNsec) {
  public static final int S_IFMT = 0170000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFLNK = 0120000;

  private static final long SYS_NEWFSTATAT = 262; // x86-64
  private static final long AT_FDCWD = -100;
  private static final long AT_SYMLINK_NOFOLLOW = 0x100;
  /** sizeof(struct stat) on x86-64 and aarch64 is at most 144 bytes. */
  private static final long STAT_SIZE = 144;

  public boolean isRegular() {
    return (mode & S_IFMT) == S_IFREG;
  }

  public boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  public boolean isSymlink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  /** The permission bits with set-id and sticky bits, without the type. */
  public int permissions() {
    return mode & 07777;
  }

  /** (dev, inode): the identity of the file, whatever its path. */
  public FileId id() {
    return new FileId(dev, ino);
  }

  /** A file's identity on the host. */
  public record FileId(long dev, long ino) {}

  /** Per thread: the errno capture, the stat buffer and a path buffer, reused call after call. */
  private static final class Buffers {
    final MemorySegment state;
    final MemorySegment stat;
    final MemorySegment path;

    Buffers() {
      Arena arena = Arena.ofAuto();
      state = arena.allocate(Linker.Option.captureStateLayout());
      stat = arena.allocate(STAT_SIZE, 8);
      path = arena.allocate(PATH_BUFFER);
    }

    /** {@code name} (shorter than the buffer) as a C string in the path buffer. */
    MemorySegment name(byte[] name) {
      MemorySegment.copy(name, 0, path, ValueLayout.JAVA_BYTE, 0, name.length);
      path.set(ValueLayout.JAVA_BYTE, name.length, (byte) 0);
      return path;
    }
  }

  private static final long PATH_BUFFER = 4096 * 4;
  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  /** lstat(2): never follows a final symbolic link. */
  public static FileStat lstat(Path path) throws IOException {
    FileStat st = lstatIfExists(path);
    if (st == null) {
      throw new NoSuchFileException(path.toString());
    }
    return st;
  }

  /** lstat(2), or null when nothing is at that path (no exception: the common case is cheap). */
  public static FileStat lstatIfExists(Path path) throws IOException {
    Buffers b = BUFFERS.get();
    byte[] name = path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (name.length < PATH_BUFFER) {
      return statAt(b, AT_FDCWD, b.name(name), path);
    }
    try (Arena arena = Arena.ofConfined()) {
      return statAt(b, AT_FDCWD, arena.allocateFrom(path.toString()), path);
    }
  }

  /**
   * lstat(2) of {@code name} in the directory behind {@code dirfd}, or null when nothing is there:
   * no path is built or walked again from the root.
   */
  public static FileStat lstatAtIfExists(int dirfd, byte[] name) throws IOException {
    Buffers b = BUFFERS.get();
    if (name.length >= PATH_BUFFER) {
      throw new IOException("name too long (" + name.length + " bytes)");
    }
    return statAt(b, dirfd, b.name(name), name);
  }

  /** fstatat(2) without following a final link; {@code what} (a Path or name bytes) is for the message. */
  private static FileStat statAt(Buffers b, long dirfd, MemorySegment path, Object what) throws IOException {
    long r = Native.syscall(
        b.state, SYS_NEWFSTATAT, dirfd, path.address(), b.stat.address(), AT_SYMLINK_NOFOLLOW, 0L, 0L);
    if (r < 0) {
      int errno = Native.errno(b.state);
      if (errno == 2 || errno == 20) {
        return null;
      }
      String shown = what instanceof byte[] n ? FileCalls.show(n) : String.valueOf(what);
      throw new IOException("cannot stat " + shown + ": " + Native.errnoName(errno));
    }
    return decode(b.stat);
  }

  private static final boolean AARCH64 = System.getProperty("os.arch").equals("aarch64");

  private static FileStat decode(MemorySegment b) {
    if (AARCH64) {
      // Generic layout: dev, ino, mode(4), nlink(4), uid, gid, rdev, pad, size, blksize(4), pad, blocks.
      return new FileStat(
          b.get(ValueLayout.JAVA_LONG, 0), b.get(ValueLayout.JAVA_LONG, 8),
          Integer.toUnsignedLong(b.get(ValueLayout.JAVA_INT, 20)), b.get(ValueLayout.JAVA_INT, 16),
          b.get(ValueLayout.JAVA_INT, 24), b.get(ValueLayout.JAVA_INT, 28),
          b.get(ValueLayout.JAVA_LONG, 48), b.get(ValueLayout.JAVA_LONG, 64),
          b.get(ValueLayout.JAVA_LONG, 88), b.get(ValueLayout.JAVA_LONG, 96));
    }
    // x86-64: dev, ino, nlink, mode(4), uid(4), gid(4), pad(4), rdev, size, blksize, blocks,
    // atim(16), mtim(16), ctim(16).
    return new FileStat(
        b.get(ValueLayout.JAVA_LONG, 0), b.get(ValueLayout.JAVA_LONG, 8),
        b.get(ValueLayout.JAVA_LONG, 16), b.get(ValueLayout.JAVA_INT, 24),
        b.get(ValueLayout.JAVA_INT, 28), b.get(ValueLayout.JAVA_INT, 32),
        b.get(ValueLayout.JAVA_LONG, 48), b.get(ValueLayout.JAVA_LONG, 64),
        b.get(ValueLayout.JAVA_LONG, 88), b.get(ValueLayout.JAVA_LONG, 96));
  }
}
