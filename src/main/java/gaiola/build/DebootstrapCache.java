package gaiola.build;

import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.storage.Trees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * debootstrap's downloads for one suite, architecture and variant, below {@code
 * /var/cache/gaiola/debootstrap/SUITE-ARCH-VARIANT}: {@code debs/} holds the packages (debootstrap's {@code
 * --cache-dir}, shared by every package set) and {@code set-HASH.tgz} one package set ready to
 * unpack ({@code --make-tarball}), keyed by the mirror and the options that choose packages. A
 * build from a tarball needs no network and skips dependency resolution, the slow part of a
 * warm {@code --cache-dir} run.
 */
final class DebootstrapCache {
  /** Makes a tarball at the given path, using the debs directory and a scratch target. */
  @FunctionalInterface
  interface Maker {
    void make(Path tarball, Path debs, Path scratch) throws IOException, GaiolaException;
  }

  private final Path dir;

  /** @param base the debootstrap cache, {@code /var/cache/gaiola/debootstrap} or {@code --cache} */
  DebootstrapCache(Path base, String suite, String arch, String variant) {
    this.dir = base.resolve(suite + "-" + arch + "-" + variant);
  }

  Path dir() {
    return dir;
  }

  /** The tarball for this package set: the cached one, or one made now under a lock. */
  Path tarball(List<String> key, Maker maker) throws IOException, GaiolaException {
    Path tarball = dir.resolve("set-" + hash(key) + ".tgz");
    if (Files.isRegularFile(tarball)) {
      return tarball;
    }
    boolean fresh = !Files.exists(dir);
    Files.createDirectories(dir.resolve("debs"));
    // Two builds of the same suite at once: the second waits, then finds the tarball made.
    try (FileChannel ch =
            FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock _ = ch.lock()) {
      if (Files.isRegularFile(tarball)) {
        return tarball;
      }
      Path partial = dir.resolve(tarball.getFileName() + ".part");
      Path scratch = Files.createTempDirectory(dir, ".work-");
      boolean made = false;
      try {
        maker.make(partial, dir.resolve("debs"), scratch);
        Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE);
        made = true;
      } finally {
        Files.deleteIfExists(partial);
        Trees.delete(scratch);
        if (!made && fresh) {
          // A suite that does not exist leaves no directory of its own behind.
          Trees.delete(dir);
        }
      }
      return tarball;
    }
  }

  /** A tarball that failed to unpack is dropped, so that the next build makes it anew. */
  static void discard(Path tarball) throws HostException {
    try {
      Files.deleteIfExists(tarball);
    } catch (IOException e) {
      throw new HostException("cannot remove " + tarball + ": " + e.getMessage(), e);
    }
  }

  static String hash(List<String> key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String k : key) {
        md.update(k.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
