package gaiola.template;

import static gaiola.host.FileCalls.O_NOFOLLOW;
import static gaiola.host.FileCalls.O_NOCTTY;
import static gaiola.host.FileCalls.O_NONBLOCK;
import static gaiola.host.FileCalls.O_RDONLY;

import gaiola.host.FileCalls;
import gaiola.storage.Progress;
import gaiola.storage.TreeEntry;
import gaiola.storage.TreeWalk;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Packs a guest tree into a template archive ({@code template create}): every entry with its
 * owner, mode, time, extended attributes, hard links, symbolic links and device nodes.
 */
public final class TreeArchive {
  private TreeArchive() {}

  /** Writes the archive of {@code tree} to {@code out}; returns the number of entries. */
  public static long pack(Path tree, Path out, Compression compression, Progress progress) throws IOException {
    long entries = 0;
    try (TreeWalk walk = new TreeWalk(tree)) {
      List<TreeWalk.Found> all = walk.all();
      progress.total(walk.bytes());
      try (OutputStream file = Files.newOutputStream(out);
          TarWriter tar = new TarWriter(new BufferedOutputStream(compression.output(file), 1 << 16))) {
        byte[] buf = new byte[1 << 20];
        for (TreeWalk.Found item : all) {
          TreeEntry e = item.entry();
          entries++;
          if (e.kind() != TreeEntry.Kind.FILE) {
            tar.entry(e);
            progress.advance(0, 1);
            continue;
          }
          int fd = FileCalls.openat(item.parentFd(), item.name(), O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0);
          try {
            List<TreeEntry.Xattr> xattrs = TreeWalk.xattrsOf(fd, e.path());
            tar.entry(new TreeEntry(e.path(), e.kind(), e.mode(), e.uid(), e.gid(), e.mtimeNanos(), e.size(), null, 0, xattrs));
            long left = e.size();
            while (left > 0) {
              int n = FileCalls.read(fd, buf, 0, (int) Math.min(buf.length, left), e.path());
              if (n == 0) {
                throw new IOException("'" + FileCalls.show(e.path()) + "' shrank while it was archived; stop the guest first");
              }
              tar.write(buf, 0, n);
              left -= n;
            }
          } finally {
            FileCalls.close(fd);
          }
          progress.advance(e.size(), 1);
        }
      }
    }
    return entries;
  }
}
