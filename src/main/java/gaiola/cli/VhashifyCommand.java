package gaiola.cli;

import gaiola.config.GuestName;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.host.Privileges;
import gaiola.storage.unify.Excludes;
import gaiola.storage.unify.HashStore;
import gaiola.storage.unify.Vhashify;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * util-vserver's {@code vhashify GUEST} and {@code vhashify --manually --destination STORE PATH}:
 * identical files become hard links to one object of the content-addressed store.
 */
@Command(
    name = "vhashify",
    mixinStandardHelpOptions = true,
    description = {
      "Unify guests: identical files (content, mode, owner, group, mtime) become hard links to one",
      "object of the store. A guest's root becomes an overlay over its unified tree, so that writes",
      "copy up and never change a shared file.",
      "  vhashify [OPTIONS] GUEST...",
      "  vhashify --manually [--destination STORE] [--exclude FILE] PATH..."
    })
final class VhashifyCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(arity = "1..*", paramLabel = "GUEST|PATH", description = "Guests (or, with --manually, directories).")
  List<String> targets = new ArrayList<>();

  @Option(names = "--manually", description = "Treat the arguments as directories, not guests (no overlay is set up).")
  boolean manually;

  @Option(names = "--destination", paramLabel = "STORE", description = "The store (default: the guest's apps/vunify/hash, else <vdirbase>/.hash).")
  Path destination;

  @Option(names = "--exclude", paramLabel = "FILE", description = "Exclude list in util-vserver's syntax (+path candidate, path/-path/~path excluded, globs).")
  Path exclude;

  @Option(names = {"-n", "--dry-run"}, description = "Say what would be shared and how many bytes saved; change nothing.")
  boolean dryRun;

  @Option(names = "--refresh", description = "Hash again files that already share an inode with the store.")
  boolean refresh;

  @Option(names = "--ignore-mtime", description = "Merge files whose modification times differ.")
  boolean ignoreMtime;

  @Option(names = "--min-size", paramLabel = "BYTES", description = "Skip files smaller than this (default ${DEFAULT-VALUE}, as util-vserver).", defaultValue = "16")
  long minSize;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: four per core).")
  Integer threads;

  VhashifyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws GaiolaException {
    if (minSize < 0) {
      throw new InvalidInputException("--min-size " + minSize + " is negative", "give 0 or more bytes");
    }
    if (threads != null && (threads < 1 || threads > 1024)) {
      throw new InvalidInputException("--threads " + threads + " is out of range", "give 1 to 1024");
    }
    Vhashify.Options options =
        new Vhashify.Options(
            minSize, ignoreMtime, dryRun, refresh, Excludes.defaults(),
            threads != null ? threads : Vhashify.Options.defaultThreads());
    if (manually) {
      return manual(options);
    }
    List<GuestName> names = new ArrayList<>();
    for (String t : targets) {
      names.add(context.guests().resolve(t));
    }
    for (GuestName n : names) {
      Vhashify.Result r =
          context.guests().vhashify(n, options, Optional.ofNullable(destination), Optional.ofNullable(exclude));
      print(n.value(), r);
    }
    return 0;
  }

  private int manual(Vhashify.Options options) throws GaiolaException {
    Privileges.requireRoot("unifying files");
    if (destination == null) {
      throw new InvalidInputException("--manually needs --destination STORE", "name the store directory");
    }
    List<Path> trees = new ArrayList<>();
    for (String t : targets) {
      Path p = Path.of(t).toAbsolutePath().normalize();
      if (!Files.isDirectory(p)) {
        throw new InvalidInputException(t + " is not a directory", "give the root of a guest's tree");
      }
      try {
        if (p.toRealPath().getNameCount() == 0) {
          throw new InvalidInputException(t + " is the host's root", "give the root of a guest's tree");
        }
      } catch (IOException e) {
        throw new HostException("cannot read " + t + ": " + e.getMessage(), e);
      }
      trees.add(p);
    }
    Excludes ex = exclude != null ? Excludes.read(exclude) : Excludes.defaults();
    Vhashify.Result r;
    try (HashStore store = HashStore.open(destination.toAbsolutePath(), trees.getFirst(), context.reporter()::warn)) {
      r = new Vhashify(store, options.withExcludes(ex), context.reporter()::note).run(trees);
    } catch (IOException e) {
      throw new HostException("cannot release the store lock: " + e.getMessage(), e);
    }
    print(String.join(" ", targets), r);
    if (!dryRun) {
      context.reporter().note(
          "files shared by --manually are plain hard links: a write through one path changes them all"
              + " (guests unified by name write through an overlay instead)");
    }
    return 0;
  }

  private void print(String what, Vhashify.Result r) {
    String verb = dryRun ? "would link" : "linked";
    context.out().printf(
        "%s: %d files, %d candidates, %d already shared; %s %d, %d new objects, %s saved, %s hashed%s%n",
        what, r.files(), r.candidates(), r.alreadyShared(), verb, r.linked(), r.newObjects(),
        human(r.bytesSaved()), human(r.bytesHashed()), r.skipped() > 0 ? ", " + r.skipped() + " skipped (changed meanwhile)" : "");
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }
}
