package gaiola.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * This process's {@code /proc/self/status}, field name to value ({@code "Uid"} to {@code "0\t0\t0\t0"}):
 * reading it needs no native call, which a one-shot command would have to link first.
 */
public final class ProcSelf {
  private ProcSelf() {}

  public static Map<String, String> status() throws IOException {
    Map<String, String> fields = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return fields;
  }
}
