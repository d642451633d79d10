package gaiola.storage.union;

import gaiola.error.HostException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What /proc/self/mountinfo says about a mount point. */
final class Mounts {
  private Mounts() {}

  /** True when an overlay is mounted exactly at {@code dir}. */
  static boolean isOverlay(Path dir) throws HostException {
    String target;
    try {
      target = Files.exists(dir) ? dir.toRealPath().toString() : dir.toAbsolutePath().normalize().toString();
    } catch (IOException e) {
      target = dir.toAbsolutePath().normalize().toString();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
    } catch (IOException e) {
      throw new HostException("cannot read the mount table: " + e.getMessage(), e);
    }
    boolean overlay = false;
    for (String line : lines) {
      String[] f = line.split(" ");
      int dash = line.indexOf(" - ");
      if (f.length < 5 || dash < 0) {
        continue;
      }
      // The last mount at a point is the one on top.
      if (unescape(f[4]).equals(target)) {
        overlay = line.substring(dash + 3).startsWith("overlay ");
      }
    }
    return overlay;
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 4 <= s.length()) {
        try {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException e) {
          // Not an escape: keep the backslash.
        }
      }
      b.append(c);
    }
    return b.toString();
  }
}
