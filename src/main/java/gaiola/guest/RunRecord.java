package gaiola.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What Gaiola remembers of a running guest, in {@code /run/gaiola/guests/NAME.json}: its init and
 * that init's start time, so that a reused PID is never mistaken for the guest.
 *
 * @param initStartTicks field 22 of {@code /proc/PID/stat}: when the init started, in clock ticks
 */
record RunRecord(long initPid, long initStartTicks, long startedAtMillis, String cgroupsPath) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path file(HostLayout layout, GuestName name) {
    return layout.runDir().resolve("guests").resolve(name.value() + ".json");
  }

  static Optional<RunRecord> read(HostLayout layout, GuestName name) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readString(file(layout, name)), RunRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  void write(HostLayout layout, GuestName name) throws IOException {
    Path f = file(layout, name);
    Files.createDirectories(f.getParent());
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.writeValueAsString(this));
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void remove(HostLayout layout, GuestName name) throws IOException {
    Files.deleteIfExists(file(layout, name));
  }

  /** True when the recorded init still runs: same PID and same start time. */
  boolean initAlive() {
    return startTicks(initPid).map(t -> t == initStartTicks).orElse(false);
  }

  /** Field 22 of /proc/PID/stat, or empty when the process is gone. */
  static Optional<Long> startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may hold spaces and parentheses: count fields after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(f[19]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
