package gaiola.guest;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.runtime.FlatJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Gaiola remembers of a running guest, in {@code /run/gaiola/guests/NAME.json}: its init and
 * that init's start time, so that a reused PID is never mistaken for the guest.
 *
 * @param initStartTicks field 22 of {@code /proc/PID/stat}: when the init started, in clock ticks
 */
record RunRecord(long initPid, long initStartTicks, long startedAtMillis, String cgroupsPath) {
  static Path file(HostLayout layout, GuestName name) {
    return layout.runDir().resolve("guests").resolve(name.value() + ".json");
  }

  static Optional<RunRecord> read(HostLayout layout, GuestName name) throws IOException {
    try {
      Map<String, String> f = FlatJson.read(Files.readString(file(layout, name)));
      return Optional.of(
          new RunRecord(
              Long.parseLong(f.get("initPid")),
              Long.parseLong(f.get("initStartTicks")),
              Long.parseLong(f.get("startedAtMillis")),
              f.get("cgroupsPath")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      // A record torn by a crash says nothing reliable: treat the guest as not running.
      return Optional.empty();
    }
  }

  void write(HostLayout layout, GuestName name) throws IOException {
    Path f = file(layout, name);
    Files.createDirectories(f.getParent());
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("initPid", initPid);
    fields.put("initStartTicks", initStartTicks);
    fields.put("startedAtMillis", startedAtMillis);
    fields.put("cgroupsPath", cgroupsPath);
    Files.writeString(tmp, FlatJson.write(fields));
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void remove(HostLayout layout, GuestName name) throws IOException {
    Files.deleteIfExists(file(layout, name));
  }

  /**
   * True when the recorded init still runs: same PID and same start time, and not a zombie that
   * its parent has yet to collect (a guest whose init ended is over, whoever reaps it).
   */
  boolean initAlive() {
    return startTicks(initPid, true).map(t -> t == initStartTicks).orElse(false);
  }

  /** True when the recorded init exists, alive or as a zombie waiting to be collected. */
  boolean initExists() {
    return startTicks(initPid, false).map(t -> t == initStartTicks).orElse(false);
  }

  /** Field 22 of /proc/PID/stat, or empty when the process is gone. */
  static Optional<Long> startTicks(long pid) {
    return startTicks(pid, false);
  }

  private static Optional<Long> startTicks(long pid, boolean livingOnly) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may hold spaces and parentheses: count fields after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (livingOnly && (f[0].equals("Z") || f[0].equals("X"))) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(f[19]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
