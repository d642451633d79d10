package gaiola.it;

import gaiola.host.FileStat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Content and metadata of every file of a tree, to compare before and after. */
final class Manifest {
  private Manifest() {}

  /** Relative path to "type mode uid gid size mtime sha256" (symlinks: their target). */
  static Map<String, String> of(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().equals(".lock")) {
          continue;
        }
        FileStat st = FileStat.lstat(p);
        String what;
        if (st.isRegular()) {
          what = "f " + sha256(p) + " " + st.size() + " " + st.mtimeSec() + "." + st.mtimeNsec();
        } else if (st.isSymlink()) {
          what = "l " + Files.readSymbolicLink(p);
        } else if (st.isDirectory()) {
          what = "d";
        } else {
          what = "o";
        }
        m.put(root.relativize(p).toString(), what + " " + Integer.toOctalString(st.mode()) + " " + st.uid() + ":" + st.gid());
      }
    }
    return m;
  }

  static Set<Long> storeInodes(Path store) throws IOException {
    Set<Long> inodes = new HashSet<>();
    try (Stream<Path> s = Files.walk(store)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        inodes.add(FileStat.lstat(p).ino());
      }
    }
    return inodes;
  }

  static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
