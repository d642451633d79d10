package gaiola.storage.unify;

import gaiola.error.InvalidInputException;
import gaiola.host.FileStat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a guest's store is, as util-vserver decides: the guest's {@code apps/vunify/hash}, else
 * the host's {@code .defaults/apps/vunify/hash}, else {@code <vdirbase>/.hash}. Such a
 * {@code hash} is either a link to the store or a directory of links, one per filesystem; the one
 * on the filesystem of the guest's tree is taken.
 */
public final class StoreLocation {
  private StoreLocation() {}

  public static Path find(Path guestConfig, Path defaults, Path vdirBase, Path tree) throws InvalidInputException {
    for (Path hash : List.of(guestConfig.resolve("apps/vunify/hash"), defaults.resolve("apps/vunify/hash"))) {
      if (Files.exists(hash)) {
        return pick(hash, tree);
      }
    }
    return vdirBase.resolve(".hash");
  }

  private static Path pick(Path hash, Path tree) throws InvalidInputException {
    if (Files.isSymbolicLink(hash)) {
      return hash;
    }
    if (!Files.isDirectory(hash)) {
      throw new InvalidInputException(hash + " is neither a link to a store nor a directory of such links");
    }
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(hash)) {
      entries.forEach(candidates::add);
      long dev = FileStat.lstat(tree).dev();
      candidates.sort(null);
      for (Path c : candidates) {
        if (Files.isDirectory(c) && FileStat.lstat(c.toRealPath()).dev() == dev) {
          return c;
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + hash + ": " + e.getMessage());
    }
    throw new InvalidInputException(
        hash + " has no store on the filesystem of " + tree,
        "add a link there to a directory on that filesystem");
  }
}
