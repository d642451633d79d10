package gaiola.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The components of a relative tree path from an untrusted source (an archive), checked: no
 * absolute path, no {@code ..}, no empty or NUL-bearing names; {@code .} and repeated slashes are
 * dropped, and so is one leading {@code ./}.
 */
public final class SafePath {
  private SafePath() {}

  /** The path's components; an empty list names the root itself. */
  public static List<byte[]> components(byte[] path) throws IOException {
    if (path.length > 0 && path[0] == '/') {
      throw new IOException("'" + gaiola.host.FileCalls.show(path) + "' is an absolute path");
    }
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= path.length; i++) {
      if (i == path.length || path[i] == '/') {
        int len = i - start;
        if (len == 1 && path[start] == '.') {
          // "." says nothing
        } else if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
          throw new IOException("'" + gaiola.host.FileCalls.show(path) + "' contains '..'");
        } else if (len > 0) {
          if (len > 255) {
            throw new IOException("'" + gaiola.host.FileCalls.show(path) + "' has a name longer than 255 bytes");
          }
          byte[] c = new byte[len];
          System.arraycopy(path, start, c, 0, len);
          for (byte b : c) {
            if (b == 0) {
              throw new IOException("'" + gaiola.host.FileCalls.show(path) + "' contains a NUL byte");
            }
          }
          parts.add(c);
        }
        start = i + 1;
      }
    }
    return parts;
  }

  /** The components joined with '/', the key of a path in maps. */
  public static String key(List<byte[]> parts, int count) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        b.append('/');
      }
      b.append(new String(parts.get(i), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    return b.toString();
  }
}
