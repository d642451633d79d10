package gaiola.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cgroup a guest's processes live in, found from its init's {@code /proc/PID/cgroup}: the
 * {@code pids} controller's directory on a v1 or hybrid host, the unified one on v2. Every process
 * of a guest, including those entered with exec, is in it.
 */
public record GuestCgroup(Path directory) {
  private static final Path V1_PIDS = Path.of("/sys/fs/cgroup/pids");
  private static final Path V2 = Path.of("/sys/fs/cgroup");

  /** The cgroup of a process, or empty when the process is gone. */
  public static Optional<GuestCgroup> of(long pid) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(new GuestCgroup(locate(lines, Files.isDirectory(V1_PIDS))));
  }

  /** Picks the directory from the lines of {@code /proc/PID/cgroup}. */
  static Path locate(List<String> lines, boolean v1Pids) {
    String unified = null;
    for (String line : lines) {
      String[] f = line.split(":", 3);
      if (f.length < 3) {
        continue;
      }
      if (v1Pids && List.of(f[1].split(",")).contains("pids")) {
        return V1_PIDS.resolve(f[2].substring(1));
      }
      if (f[0].equals("0") && f[1].isEmpty()) {
        unified = f[2];
      }
    }
    return V2.resolve(unified == null ? "" : unified.substring(1));
  }

  /** The PIDs (host view) of every process in the cgroup. */
  public List<Long> processes() throws IOException {
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(directory.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.strip()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return pids;
  }
}
