package gaiola.host;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The process's limit on open descriptors, raised before a tree is copied or archived: those keep
 * every directory of the tree open (so that other threads can read its files later), and a guest
 * tree of some ten thousand directories would pass the usual 1,024/20,000. Root raises both
 * limits to the kernel's ceiling ({@code fs.nr_open}) when it holds CAP_SYS_RESOURCE; otherwise
 * the soft limit goes up to the hard one. Done once per process; a refusal leaves the limit as it
 * was.
 */
public final class OpenFiles {
  private static final long SYS_PRLIMIT64 = 302; // x86-64
  private static final int RLIMIT_NOFILE = 7;
  private static boolean raised; // guarded by the class (raise is synchronized)

  private OpenFiles() {}

  /** This process's hard limit (what a child may keep without CAP_SYS_RESOURCE); 0 when unknown. */
  public static long hardLimit() {
    // Every guest start asks: /proc answers without linking a native call, which costs a
    // one-shot command about 45 ms.
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        Optional<Long> hard = hardOpenFiles(line);
        if (hard.isPresent()) {
          return hard.get();
        }
      }
    } catch (IOException | RuntimeException e) {
      // No usable /proc: ask the kernel.
    }
    long[] now = limits();
    return now == null ? 0 : now[1];
  }

  /** The hard limit from the "Max open files" line of {@code /proc/PID/limits}. */
  static Optional<Long> hardOpenFiles(String line) {
    if (!line.startsWith("Max open files")) {
      return Optional.empty();
    }
    String[] f = line.substring("Max open files".length()).strip().split("\\s+");
    return f.length >= 2 && f[1].matches("[0-9]{1,18}") ? Optional.of(Long.parseLong(f[1])) : Optional.empty();
  }

  /** Raises the limit (at most once per process); returns the soft limit in force afterwards. */
  public static synchronized long raise() {
    long[] now = limits();
    if (now == null) {
      return -1;
    }
    long soft = now[0];
    long hard = now[1];
    if (raised) {
      return soft;
    }
    raised = true;
    long target = Privileges.isRoot() ? Math.max(hard, kernelCeiling()) : hard;
    if (target <= soft) {
      return soft;
    }
    if (set(target, target)) {
      return target;
    }
    // Without CAP_SYS_RESOURCE the hard limit stays: take the soft one up to it.
    return hard > soft && set(hard, hard) ? hard : soft;
  }

  /** {soft, hard} now, or null when the kernel does not say. */
  private static long[] limits() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      MemorySegment old = arena.allocate(16, 8);
      if (Native.syscall(state, SYS_PRLIMIT64, 0, RLIMIT_NOFILE, 0, old.address(), 0, 0) < 0) {
        return null;
      }
      return new long[] {old.get(ValueLayout.JAVA_LONG, 0), old.get(ValueLayout.JAVA_LONG, 8)};
    }
  }

  private static boolean set(long soft, long hard) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      MemorySegment wanted = arena.allocate(16, 8);
      wanted.set(ValueLayout.JAVA_LONG, 0, soft);
      wanted.set(ValueLayout.JAVA_LONG, 8, hard);
      return Native.syscall(state, SYS_PRLIMIT64, 0, RLIMIT_NOFILE, wanted.address(), 0, 0, 0) == 0;
    }
  }

  /** fs.nr_open: no process may have more descriptors than this; 0 when unknown. */
  public static long kernelCeiling() {
    // One read with a buffer: a sysctl file read a byte at a time ends after its first byte.
    try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/fs/nr_open"))) {
      String line = r.readLine();
      return line == null ? 0 : Long.parseLong(line.trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
