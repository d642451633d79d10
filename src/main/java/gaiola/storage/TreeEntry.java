package gaiola.storage;

import java.util.List;

/**
 * One entry of a guest tree as an archive or a copy carries it: a relative path of raw bytes (never
 * decoded, so every name survives), its kind and the metadata that must survive exactly.
 *
 * @param path relative, '/'-separated; empty for the root itself
 * @param mode the permission bits, set-id and sticky bits included (07777)
 * @param mtimeNanos modification time in nanoseconds since the epoch
 * @param size bytes of content (files only)
 * @param link the target of a symbolic link, or the tree path a hard link points at
 * @param rdev the device number of a character or block device
 */
public record TreeEntry(
    byte[] path, Kind kind, int mode, int uid, int gid, long mtimeNanos, long size, byte[] link, long rdev,
    List<Xattr> xattrs) {
  public TreeEntry {
    xattrs = List.copyOf(xattrs);
  }

  /** What an entry is. */
  public enum Kind {
    DIRECTORY,
    FILE,
    SYMLINK,
    HARDLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    FIFO
  }

  /** One extended attribute: name and value as bytes (values such as capabilities are binary). */
  public record Xattr(byte[] name, byte[] value) {}
}
