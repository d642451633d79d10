package gaiola.host;

import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inode flags of chattr(1) (FS_IOC_GETFLAGS / FS_IOC_SETFLAGS), read and changed through FFM.
 * Linux-VServer's IUNLINK and barrier flags have no mainline equivalent and are not offered.
 */
public final class InodeFlags {
  private static final long FS_IOC_GETFLAGS = 0x80086601L;
  private static final long FS_IOC_SETFLAGS = 0x40086602L;
  private static final int O_RDONLY = 0;
  private static final int O_NONBLOCK = 04000;
  private static final int O_NOFOLLOW = 0400000;
  private static final int O_CLOEXEC = 02000000;

  /** Flag names as the command line takes them, with lsattr's letter and the kernel's bit. */
  public enum Flag {
    SECURE_DELETION("secrm", 's', 0x1),
    UNDELETABLE("undel", 'u', 0x2),
    COMPRESSED("compr", 'c', 0x4),
    SYNCHRONOUS("sync", 'S', 0x8),
    IMMUTABLE("immutable", 'i', 0x10),
    APPEND_ONLY("append", 'a', 0x20),
    NO_DUMP("nodump", 'd', 0x40),
    NO_ATIME("noatime", 'A', 0x80),
    DIR_SYNC("dirsync", 'D', 0x10000),
    TOP_DIR("topdir", 'T', 0x20000),
    EXTENTS("extents", 'e', 0x80000),
    NO_COW("nocow", 'C', 0x800000),
    PROJECT_INHERIT("projinherit", 'P', 0x20000000);

    public final String option;
    public final char letter;
    public final int bit;

    Flag(String option, char letter, int bit) {
      this.option = option;
      this.letter = letter;
      this.bit = bit;
    }

    /** The flag called {@code name} on the command line. */
    public static Flag named(String name) throws InvalidInputException {
      for (Flag f : values()) {
        if (f.option.equals(name)) {
          return f;
        }
      }
      if (name.equals("iunlink") || name.equals("barrier") || name.equals("iunlink-but-not-immutable")) {
        throw new InvalidInputException(
            "flag '" + name + "' is a Linux-VServer kernel flag that mainline Linux does not have",
            "unified files are protected by the guest's overlay instead; see README 'Unification'");
      }
      Map<String, Flag> known = new LinkedHashMap<>();
      for (Flag f : values()) {
        known.put(f.option, f);
      }
      throw new InvalidInputException(
          "unknown flag '" + name + "'", "use one of " + String.join(", ", known.keySet()));
    }
  }

  // x86-64, through the host package's one syscall downcall.
  private static final long SYS_IOCTL = 16;
  private static final long SYS_OPENAT = 257;
  private static final long AT_FDCWD = -100;

  private InodeFlags() {}

  /** The flags of the file (a symbolic link itself has none: it is refused). */
  public static int get(Path file) throws HostException {
    return call(file, FS_IOC_GETFLAGS, null);
  }

  /** Sets the flags to exactly {@code flags}. */
  public static void set(Path file, int flags) throws HostException {
    call(file, FS_IOC_SETFLAGS, flags);
  }

  private static int call(Path file, long request, Integer value) throws HostException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      int fd = (int) Native.syscall(
          state, SYS_OPENAT, AT_FDCWD, arena.allocateFrom(file.toString()).address(),
          O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0L, 0L, 0L);
      if (fd < 0) {
        throw failure(file, "open", Native.errno(state));
      }
      try {
        MemorySegment flags = arena.allocate(ValueLayout.JAVA_INT);
        if (value != null) {
          flags.set(ValueLayout.JAVA_INT, 0, value);
        }
        long r = Native.syscall(state, SYS_IOCTL, fd, request, flags.address(), 0L, 0L, 0L);
        if (r < 0) {
          throw failure(file, value == null ? "read flags of" : "set flags of", Native.errno(state));
        }
        return flags.get(ValueLayout.JAVA_INT, 0);
      } finally {
        Native.close(fd);
      }
    }
  }


  private static HostException failure(Path file, String what, int errno) {
    String why =
        switch (errno) {
          case 25, 95 -> "the filesystem has no inode flags (ENOTTY)";
          case 40 -> "it is a symbolic link";
          default -> Native.errnoName(errno);
        };
    return new HostException("cannot " + what + " " + file + ": " + why);
  }

  /** lsattr-like letters for the flags that are set, '-' for the others. */
  public static String letters(int flags) {
    StringBuilder b = new StringBuilder();
    for (Flag f : Flag.values()) {
      b.append((flags & f.bit) != 0 ? f.letter : '-');
    }
    return b.toString();
  }
}
