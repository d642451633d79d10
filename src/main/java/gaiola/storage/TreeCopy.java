package gaiola.storage;

import static gaiola.host.FileCalls.O_NOCTTY;
import static gaiola.host.FileCalls.O_NOFOLLOW;
import static gaiola.host.FileCalls.O_NONBLOCK;
import static gaiola.host.FileCalls.O_RDONLY;

import gaiola.host.FileCalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Copies a guest tree into a new, empty one, as {@code cp -a} does: owners, modes, times, extended
 * attributes, hard links (within the tree), symbolic links (never followed) and device nodes. File
 * contents are copied inside the kernel ({@code copy_file_range}) by a pool of threads while the
 * directories are made in order. {@link #link} makes a hard-link copy instead, as {@code cp -al}.
 */
public final class TreeCopy {
  private TreeCopy() {}

  /** Copies {@code source} into the empty directory {@code target}; returns the entries copied. */
  public static long copy(Path source, Path target, Progress progress) throws IOException {
    try (TreeWalk walk = new TreeWalk(source);
        TreeWriter writer = new TreeWriter(target, TreeWriter.defaultThreads(), progress)) {
      List<TreeWalk.Found> all = walk.all();
      progress.total(walk.bytes());
      for (TreeWalk.Found f : all) {
        TreeEntry e = f.entry();
        if (e.kind() == TreeEntry.Kind.FILE) {
          writer.file(e, (fd, path) -> copyContent(f.parentFd(), f.name(), e.size(), fd, path), 0);
        } else {
          writer.other(e);
        }
      }
      writer.finish();
      return all.size();
    }
  }

  /**
   * Makes the empty directory {@code target} a hard-link copy of {@code source}, as {@code cp -al}
   * does: directories are made anew with their owners, modes, times and extended attributes; every
   * other entry (file, symbolic link, device, fifo) becomes a second name of the source's inode.
   * Both trees must be on one filesystem. The bytes reported are those of the files linked.
   * Returns the entries made.
   */
  public static long link(Path source, Path target, Progress progress) throws IOException {
    // No content is written, so directories and links are made by this thread alone, as cp -al
    // does; the walk reads ahead on another one.
    try (TreeWalk walk = new TreeWalk(source);
        TreeWriter writer = new TreeWriter(target, 1, progress)) {
      long entries = 0;
      try (WalkAhead ahead = new WalkAhead(walk, progress)) {
        for (TreeWalk.Found f; (f = ahead.next()) != null; entries++) {
          if (f.entry().kind() == TreeEntry.Kind.DIRECTORY) {
            writer.directory(f.entry());
          } else {
            writer.linkFrom(f.entry(), f.parentFd(), f.name());
          }
        }
      }
      writer.finish();
      return entries;
    }
  }

  private static List<TreeEntry.Xattr> copyContent(int parent, byte[] name, long size, int out, byte[] path) throws IOException {
    int in = FileCalls.openat(parent, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0);
    try {
      FileCalls.copyAll(in, out, size, path);
      return TreeWalk.xattrsOf(in, path);
    } finally {
      FileCalls.close(in);
    }
  }
}
