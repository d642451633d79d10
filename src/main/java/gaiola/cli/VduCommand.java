package gaiola.cli;

import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.storage.unify.DiskUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * util-vserver's vdu for unified guests: the space each tree holds on its own, files shared with
 * the store or another guest left out (or shown apart with {@code --shared}).
 */
@Command(
    name = "vdu",
    mixinStandardHelpOptions = true,
    description = {
      "Disk space each tree holds privately, hard-link aware: an inode linked from outside the tree",
      "(the unification store, another guest) is not counted; --shared shows it apart."
    })
final class VduCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(arity = "1..*", paramLabel = "DIR", description = "Trees to measure (a guest's root, e.g. /vservers/vs01).")
  List<Path> dirs = new ArrayList<>();

  @Option(names = "--shared", description = "Also print the space shared with others.")
  boolean shared;

  @Option(names = "--blocksize", paramLabel = "BYTES", defaultValue = "1024", description = "Unit of the figures (default ${DEFAULT-VALUE}).")
  long blocksize;

  @Option(names = "--space", description = "Space (the default; util-vserver's option).")
  boolean space;

  VduCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (blocksize < 1) {
      throw new InvalidInputException("--blocksize " + blocksize + " must be at least 1");
    }
    for (Path d : dirs) {
      if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(d + " does not exist", "give a guest's root tree");
      }
    }
    for (Path d : dirs) {
      DiskUsage u;
      try {
        u = DiskUsage.of(d);
      } catch (IOException e) {
        throw new HostException("cannot measure " + d + ": " + e.getMessage(), e);
      }
      long p = (u.privateBytes() + blocksize - 1) / blocksize;
      if (shared) {
        long s = (u.sharedBytes() + blocksize - 1) / blocksize;
        context.out().println(p + "\t" + s + "\t" + d);
      } else {
        context.out().println(p + "\t" + d);
      }
    }
    return 0;
  }
}
