package gaiola.cli;

import gaiola.host.InodeFlags;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** util-vserver's showattr: the inode flags of files, one line each, lsattr's letters. */
@Command(
    name = "showattr",
    mixinStandardHelpOptions = true,
    description = {
      "Show inode flags (letters: s secrm, u undel, c compr, S sync, i immutable, a append,",
      "d nodump, A noatime, D dirsync, T topdir, e extents, C nocow, P projinherit)."
    })
final class ShowattrCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(arity = "1..*", paramLabel = "FILE")
  List<Path> files = new ArrayList<>();

  ShowattrCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    int status = 0;
    for (Path f : files) {
      if (Files.isSymbolicLink(f) || !Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
        context.err().println("gaiola: showattr: " + f + (Files.isSymbolicLink(f) ? " is a symbolic link (no flags)" : " does not exist"));
        status = 1;
        continue;
      }
      try {
        context.out().println(InodeFlags.letters(InodeFlags.get(f)) + " " + f);
      } catch (gaiola.error.HostException e) {
        context.err().println("gaiola: showattr: " + e.getMessage());
        status = 1;
      }
    }
    return status;
  }
}
