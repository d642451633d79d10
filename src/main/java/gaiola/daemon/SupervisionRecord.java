package gaiola.daemon;

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
 * What the daemon remembers of a guest across its own restarts, in {@code
 * /run/gaiola/daemon/NAME.json}: how often it started the guest again, how many failures in a
 * row, and how the guest last ended.
 *
 * @param lastEnd reboot, halt, exit, killed, stop or unknown; empty before the first end
 */
public record SupervisionRecord(
    int restarts, int failures, String lastEnd, String lastEndDetail, long lastEndAtMillis) {
  public static final SupervisionRecord NONE = new SupervisionRecord(0, 0, "", "", 0);

  SupervisionRecord withFailures(int n) {
    return new SupervisionRecord(restarts, n, lastEnd, lastEndDetail, lastEndAtMillis);
  }

  static Path file(HostLayout layout, GuestName name) {
    return layout.runDir().resolve("daemon").resolve(name.value() + ".json");
  }

  public static Optional<SupervisionRecord> read(HostLayout layout, GuestName name) {
    try {
      Map<String, String> f = FlatJson.read(Files.readString(file(layout, name)));
      return Optional.of(
          new SupervisionRecord(
              Integer.parseInt(f.get("restarts")),
              Integer.parseInt(f.get("failures")),
              f.getOrDefault("lastEnd", ""),
              f.getOrDefault("lastEndDetail", ""),
              Long.parseLong(f.getOrDefault("lastEndAtMillis", "0"))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // A record torn by a crash only loses counters.
      return Optional.empty();
    }
  }

  void write(HostLayout layout, GuestName name) throws IOException {
    Path f = file(layout, name);
    Files.createDirectories(f.getParent());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("restarts", restarts);
    fields.put("failures", failures);
    fields.put("lastEnd", lastEnd);
    fields.put("lastEndDetail", lastEndDetail);
    fields.put("lastEndAtMillis", lastEndAtMillis);
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    Files.writeString(tmp, FlatJson.write(fields));
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void remove(HostLayout layout, GuestName name) throws IOException {
    Files.deleteIfExists(file(layout, name));
  }
}
