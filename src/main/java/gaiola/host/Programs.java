package gaiola.host;

import gaiola.error.UnsupportedHostException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds the host programs Gaiola relies on and says which Debian package brings a missing one. */
public final class Programs {
  private static final Map<String, String> PACKAGE =
      Map.of(
          "runc", "runc",
          "catatonit", "catatonit",
          "tini", "tini",
          "busybox", "busybox-static",
          "ip", "iproute2",
          "debootstrap", "debootstrap");

  private Programs() {}

  /** The first executable of that name on PATH (plus /usr/sbin and /sbin, which root's PATH may lack). */
  public static Optional<Path> locate(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/local/sbin:/usr/sbin:/sbin").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Like {@link #locate}, but a missing program is an error naming its package. */
  public static Path require(String program) throws UnsupportedHostException {
    return locate(program).orElseThrow(() -> missing(program));
  }

  static UnsupportedHostException missing(String program) {
    String name = Path.of(program).getFileName().toString();
    String pkg = PACKAGE.get(name);
    return new UnsupportedHostException(
        "program '" + program + "' is not installed",
        pkg == null ? "install it and try again" : "perhaps run 'apt-get install " + pkg + "'");
  }
}
