package gaiola.storage;

import static gaiola.host.FileCalls.*;

import gaiola.host.FileCalls;
import gaiola.host.OpenFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a guest tree in archive order: each directory before what it holds, names sorted by their
 * bytes. Links are reported, never followed; a second name of a file (a hard link) is reported as
 * such, pointing at the first; sockets are left out (they cannot be copied); a mount point below
 * the root is refused. The descriptors of the directories stay open until {@link #close()}, so that
 * the files can be read later, by other threads.
 */
public final class TreeWalk implements AutoCloseable {
  /** Receives each entry with the directory that holds it and its name there. */
  @FunctionalInterface
  public interface Visitor {
    void visit(TreeEntry entry, int parentFd, byte[] name) throws IOException;
  }

  /** An entry with the directory that holds it and its name there, kept for later reading. */
  public record Found(TreeEntry entry, int parentFd, byte[] name) {}

  private final Path root;
  private final List<Integer> open = new ArrayList<>();
  private final Map<Long, Map<Long, byte[]>> seen = new HashMap<>();
  private long rootDev;
  private long files;
  private long bytes;

  public TreeWalk(Path root) {
    this.root = root;
  }

  /** Walks the whole tree; the root itself is the first entry, with an empty path. */
  public void walk(Visitor visitor) throws IOException {
    OpenFiles.raise();
    byte[] rootName = FileCalls.bytes(root.toString());
    int fd = FileCalls.openat(AT_FDCWD, rootName, O_RDONLY | O_DIRECTORY, 0);
    open.add(fd);
    FileCalls.Stat st = FileCalls.lstatat(fd, new byte[] {'.'});
    rootDev = st.dev();
    visitor.visit(entry(new byte[0], st, null, fd), AT_FDCWD, rootName);
    walkDir(fd, new byte[0], visitor);
  }

  /** Walks the whole tree into a list, in order. */
  public List<Found> all() throws IOException {
    List<Found> all = new ArrayList<>();
    walk((e, parent, name) -> all.add(new Found(e, parent, name)));
    return all;
  }

  /** Regular files seen so far (each inode once) and their bytes. */
  public long files() {
    return files;
  }

  public long bytes() {
    return bytes;
  }

  private void walkDir(int dirFd, byte[] prefix, Visitor visitor) throws IOException {
    List<byte[]> names = FileCalls.list(dirFd, prefix);
    names.sort(Arrays::compareUnsigned);
    for (byte[] name : names) {
      byte[] path = join(prefix, name);
      FileCalls.Stat st = FileCalls.lstatat(dirFd, name);
      switch (st.type()) {
        case S_IFDIR -> {
          if (st.dev() != rootDev) {
            throw new IOException("'" + FileCalls.show(path) + "' is a mount point; unmount it first");
          }
          int fd = FileCalls.openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
          open.add(fd);
          visitor.visit(entry(path, st, null, fd), dirFd, name);
          walkDir(fd, path, visitor);
        }
        case S_IFLNK -> visitor.visit(entry(path, st, FileCalls.readlinkat(dirFd, name), -1), dirFd, name);
        case S_IFSOCK -> {
          // A socket belongs to a process that ran; nothing can copy it.
        }
        case S_IFREG -> {
          byte[] first = st.nlink() > 1 ? firstName(st, path) : null;
          if (first != null) {
            visitor.visit(entry(path, st, first, -1), dirFd, name);
          } else {
            files++;
            bytes += st.size();
            visitor.visit(entry(path, st, null, -1), dirFd, name);
          }
        }
        default -> {
          byte[] first = st.nlink() > 1 ? firstName(st, path) : null;
          int fd = first == null ? FileCalls.openat(dirFd, name, O_PATH | O_NOFOLLOW, 0) : -1;
          try {
            visitor.visit(entry(path, st, first, fd), dirFd, name);
          } finally {
            FileCalls.close(fd);
          }
        }
      }
    }
  }

  /** The first path of an inode with several names; null when this is the first. */
  private byte[] firstName(FileCalls.Stat st, byte[] path) {
    Map<Long, byte[]> inodes = seen.computeIfAbsent(st.dev(), d -> new HashMap<>());
    byte[] first = inodes.putIfAbsent(st.ino(), path);
    return first;
  }

  private static byte[] join(byte[] prefix, byte[] name) {
    if (prefix.length == 0) {
      return name;
    }
    byte[] p = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
    p[prefix.length] = '/';
    System.arraycopy(name, 0, p, prefix.length + 1, name.length);
    return p;
  }

  /**
   * The entry for a stat; {@code link} is a symlink's target or the first name of a hard link;
   * {@code fd}, when not -1, is read for extended attributes (directories, devices, fifos).
   */
  private static TreeEntry entry(byte[] path, FileCalls.Stat st, byte[] link, int fd) throws IOException {
    TreeEntry.Kind kind = switch (st.type()) {
      case S_IFDIR -> TreeEntry.Kind.DIRECTORY;
      case S_IFLNK -> TreeEntry.Kind.SYMLINK;
      case S_IFCHR -> TreeEntry.Kind.CHAR_DEVICE;
      case S_IFBLK -> TreeEntry.Kind.BLOCK_DEVICE;
      case S_IFIFO -> TreeEntry.Kind.FIFO;
      default -> TreeEntry.Kind.FILE;
    };
    if (link != null && kind != TreeEntry.Kind.SYMLINK) {
      kind = TreeEntry.Kind.HARDLINK;
    }
    List<TreeEntry.Xattr> xattrs = fd < 0 ? List.of() : xattrsOf(fd, path);
    return new TreeEntry(
        path, kind, st.permissions(), st.uid(), st.gid(), st.mtime(),
        kind == TreeEntry.Kind.FILE ? st.size() : 0, link, st.rdev(), xattrs);
  }

  /** The extended attributes of the inode behind a descriptor. */
  public static List<TreeEntry.Xattr> xattrsOf(int fd, byte[] path) throws IOException {
    Map<byte[], byte[]> m = FileCalls.xattrs(fd, false, path);
    if (m.isEmpty()) {
      return List.of();
    }
    List<TreeEntry.Xattr> list = new ArrayList<>();
    m.forEach((k, v) -> list.add(new TreeEntry.Xattr(k, v)));
    return list;
  }

  @Override
  public void close() {
    for (int fd : open) {
      FileCalls.close(fd);
    }
    open.clear();
  }
}
