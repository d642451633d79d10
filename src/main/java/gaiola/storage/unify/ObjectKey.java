package gaiola.storage.unify;

import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The name of one object of the store: the content's SHA-256 and the metadata that one inode can
 * carry only once -- permission bits, owner, group and, unless ignored, the modification time.
 * Files that differ in any of these never share an inode (util-vserver's rule).
 *
 * @param sha256 32 bytes of digest
 * @param mtimeSec seconds of the modification time; ignored when {@code withMtime} is false
 */
public record ObjectKey(
    byte[] sha256, int permissions, int uid, int gid, boolean withMtime, long mtimeSec, long mtimeNsec) {
  public ObjectKey {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + sha256.length);
    }
    sha256 = sha256.clone();
    permissions &= 07777;
  }

  /**
   * The object's path below the store: {@code ab/<rest of the hex digest>-<mode>-<uid>-<gid>},
   * plus {@code -<mtime>} when mtimes must match. One level of 256 directories, not
   * util-vserver's two: 65,536 second-level directories of 4 KiB each cost 20 MB of a store of a
   * few thousand objects, and ext4's hashed directories stay fast with many entries.
   */
  public Path relativePath() {
    return Path.of(directory(), fileName());
  }

  /** The object's directory below the store: the digest's first two hex digits. */
  public String directory() {
    return HexFormat.of().toHexDigits(sha256[0]);
  }

  /** The object's name in its directory. */
  public String fileName() {
    String hex = HexFormat.of().formatHex(sha256);
    StringBuilder name =
        new StringBuilder(hex.substring(2))
            .append('-').append(Integer.toOctalString(permissions))
            .append('-').append(Integer.toUnsignedString(uid))
            .append('-').append(Integer.toUnsignedString(gid));
    if (withMtime) {
      String nanos = Long.toString(mtimeNsec);
      name.append('-').append(mtimeSec).append('.').repeat('0', 9 - nanos.length()).append(nanos);
    }
    return name.toString();
  }

  public String hex() {
    return HexFormat.of().formatHex(sha256);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectKey k
        && java.util.Arrays.equals(sha256, k.sha256) && permissions == k.permissions && uid == k.uid
        && gid == k.gid && withMtime == k.withMtime
        && (!withMtime || (mtimeSec == k.mtimeSec && mtimeNsec == k.mtimeNsec));
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(sha256) * 31 + permissions;
  }

  @Override
  public String toString() {
    return relativePath().toString();
  }
}
