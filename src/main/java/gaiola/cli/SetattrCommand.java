package gaiola.cli;

import gaiola.error.InvalidInputException;
import gaiola.host.InodeFlags;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** util-vserver's setattr: {@code --FLAG} sets, {@code --~FLAG} clears, e.g. --immutable / --~immutable. */
@Command(
    name = "setattr",
    mixinStandardHelpOptions = true,
    description = {
      "Set (--FLAG) or clear (--~FLAG) inode flags: immutable, append, nodump, noatime, sync,",
      "dirsync, secrm, undel, compr, nocow, projinherit, topdir. Example: setattr --immutable FILE.",
      "Linux-VServer's iunlink and barrier do not exist on mainline kernels."
    })
final class SetattrCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(paramLabel = "FILE", arity = "0..*")
  List<String> files = new ArrayList<>();

  @Unmatched List<String> flags = new ArrayList<>();

  SetattrCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    int set = 0;
    int clear = 0;
    List<String> paths = new ArrayList<>(files);
    for (String a : flags) {
      if (!a.startsWith("--")) {
        paths.add(a);
        continue;
      }
      boolean off = a.startsWith("--~");
      InodeFlags.Flag f = InodeFlags.Flag.named(a.substring(off ? 3 : 2));
      if (off) {
        clear |= f.bit;
      } else {
        set |= f.bit;
      }
    }
    if (set == 0 && clear == 0) {
      throw new InvalidInputException("setattr: no flag given", "e.g. setattr --immutable FILE or --~immutable FILE");
    }
    if ((set & clear) != 0) {
      throw new InvalidInputException("setattr: a flag is both set and cleared", "give each flag once");
    }
    if (paths.isEmpty()) {
      throw new InvalidInputException("setattr: no file given", "name the files after the flags");
    }
    for (String p : paths) {
      Path f = Path.of(p);
      if (Files.isSymbolicLink(f) || !Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(p + (Files.isSymbolicLink(f) ? " is a symbolic link; it has no flags" : " does not exist"));
      }
    }
    for (String p : paths) {
      Path f = Path.of(p);
      int now = InodeFlags.get(f);
      InodeFlags.set(f, (now | set) & ~clear);
    }
    return 0;
  }
}
