package gaiola.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removal of guest trees that never follows a link out of them. */
public final class Trees {
  private Trees() {}

  /**
   * Deletes {@code dir} and everything below it; symbolic links are removed, never followed, and
   * another filesystem mounted below it is refused rather than emptied.
   */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir)) {
      Files.delete(dir);
      return;
    }
    walkDelete(dir, false);
  }

  private static void walkDelete(Path dir, boolean keepTop) throws IOException {
    Object rootDevice = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            if (!rootDevice.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
              throw new IOException(d + " is a mount point; unmount it first");
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            Files.delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            if (keepTop && d.equals(dir)) {
              return FileVisitResult.CONTINUE;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Empties {@code dir} but keeps it (a directory the user made, perhaps a mount point). */
  public static void deleteContents(Path dir) throws IOException {
    walkDelete(dir, true);
  }
}
