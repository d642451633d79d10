package gaiola.proc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** ProcessInfo values for tests that need no files. */
final class Processes {
  static final Instant BOOT = Instant.parse("2025-01-01T00:00:00Z");

  private Processes() {}

  static ProcessInfo info(long pid, long ns) {
    return info(pid, 1, ns, pid, "sh", List.of("sh"));
  }

  static ProcessInfo info(
      long pid, long ppid, long ns, long guestPid, String comm, List<String> argv) {
    return new ProcessInfo(
        pid,
        ppid,
        0,
        Optional.of("root"),
        'S',
        4 * 1024 * 1024,
        1024 * 1024,
        Duration.ofSeconds(1),
        Duration.ofMillis(500),
        Duration.ZERO,
        Duration.ZERO,
        BOOT.plusSeconds(pid),
        0,
        comm,
        argv,
        ns,
        guestPid);
  }
}
