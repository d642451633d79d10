package gaiola.storage.unify;

import gaiola.host.FileStat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * util-vserver's vdu for unified guests: the disk space a tree holds on its own. An inode counts
 * as private when every one of its links lies inside the tree (a file and its in-guest hard links
 * count once); an inode also linked from elsewhere -- the store, another guest -- counts as
 * shared. Space is what du counts: allocated blocks. The walk stays on the tree's filesystem.
 *
 * @param privateBytes bytes of inodes whose every link is in the tree (directories included)
 * @param sharedBytes bytes of inodes also linked from outside, each counted once
 */
public record DiskUsage(long privateBytes, long sharedBytes, long inodes) {
  private static final class Seen {
    long links;
    final long nlink;
    final long bytes;

    Seen(long nlink, long bytes) {
      this.nlink = nlink;
      this.bytes = bytes;
    }
  }

  /** Measures the tree at {@code root}. */
  public static DiskUsage of(Path root) throws IOException {
    FileStat top = FileStat.lstat(root);
    Map<FileStat.FileId, Seen> seen = new HashMap<>();
    long[] dirs = new long[1];
    if (top.isDirectory()) {
      dirs[0] += top.blocks() * 512;
      walk(root, top.dev(), seen, dirs);
    } else {
      seen.put(top.id(), new Seen(top.nlink(), top.blocks() * 512));
      seen.get(top.id()).links = 1;
    }
    long priv = dirs[0];
    long shared = 0;
    for (Seen s : seen.values()) {
      if (s.links >= s.nlink) {
        priv += s.bytes;
      } else {
        shared += s.bytes;
      }
    }
    return new DiskUsage(priv, shared, seen.size());
  }

  private static void walk(Path dir, long dev, Map<FileStat.FileId, Seen> seen, long[] dirs) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        FileStat st;
        try {
          st = FileStat.lstat(p);
        } catch (NoSuchFileException e) {
          continue;
        }
        if (st.dev() != dev) {
          continue;
        }
        if (st.isDirectory()) {
          dirs[0] += st.blocks() * 512;
          walk(p, dev, seen, dirs);
          continue;
        }
        Seen s = seen.computeIfAbsent(st.id(), id -> new Seen(st.nlink(), st.blocks() * 512));
        s.links++;
      }
    }
  }
}
