package gaiola.template;

import gaiola.host.FileCalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A tree's manifest, one line per path: type, mode, uid, gid, size, SHA-256 of the content, link
 * target, device number, modification time in nanoseconds, extended attributes (hex), and for hard
 * links the group of names sharing the inode. Two trees are the same when their manifests are.
 */
public final class Manifest {
  private Manifest() {}

  public static Map<String, String> of(Path root) throws Exception {
    return of(root, Set.of());
  }

  /** The manifest without the paths in {@code skip} (files a copy rewrites on purpose). */
  public static Map<String, String> of(Path root, Set<String> skip) throws Exception {
    Map<String, String> m = new TreeMap<>();
    Map<String, String> inodes = new TreeMap<>();
    List<Path> all;
    try (Stream<Path> s = Files.walk(root)) {
      all = s.sorted().toList();
    }
    for (Path p : all) {
      String rel = root.relativize(p).toString();
      rel = rel.isEmpty() ? "." : rel;
      if (skip.contains(rel)) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      String type = Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d"
          : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? "f" : "n" + Integer.toOctalString(mode & 0170000);
      String hash = type.equals("f") ? sha256(p) : "";
      String link = type.equals("l") ? Files.readSymbolicLink(p).toString() : "";
      long mtime = nanos((FileTime) a.get("lastModifiedTime"));
      String rdev = type.startsWith("n") ? Long.toString((Long) a.get("rdev")) : "";
      String size = type.equals("f") ? a.get("size").toString() : "";
      StringBuilder x = new StringBuilder();
      if (!type.equals("l")) {
        int fd = FileCalls.openat(FileCalls.AT_FDCWD, FileCalls.bytes(p.toString()), FileCalls.O_PATH | FileCalls.O_NOFOLLOW, 0);
        try {
          TreeMap<String, String> xs = new TreeMap<>();
          FileCalls.xattrs(fd, false, FileCalls.bytes(rel)).forEach((k, v) -> xs.put(new String(k), HexFormat.of().formatHex(v)));
          xs.forEach((k, v) -> x.append(k).append('=').append(v).append(';'));
        } finally {
          FileCalls.close(fd);
        }
      }
      if (type.equals("f") && (Integer) a.get("nlink") > 1) {
        String key = a.get("dev") + ":" + a.get("ino");
        inodes.merge(key, rel, (o, n) -> o);
        link = "=" + inodes.get(key);
      }
      m.put(rel, String.join(",", type, Integer.toOctalString(mode & 07777), a.get("uid").toString(),
          a.get("gid").toString(), size, hash, link, rdev, Long.toString(mtime), x.toString()));
    }
    return m;
  }

  private static long nanos(FileTime t) {
    java.time.Instant i = t.toInstant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The lines that differ, for an assertion message. */
  public static List<String> diff(Map<String, String> a, Map<String, String> b) {
    List<String> d = new ArrayList<>();
    for (String k : new java.util.TreeSet<>(a.keySet())) {
      if (!b.containsKey(k)) {
        d.add("- " + k + " " + a.get(k));
      } else if (!a.get(k).equals(b.get(k))) {
        d.add("~ " + k + " " + a.get(k) + " | " + b.get(k));
      }
    }
    for (String k : b.keySet()) {
      if (!a.containsKey(k)) {
        d.add("+ " + k + " " + b.get(k));
      }
    }
    return d;
  }
}
