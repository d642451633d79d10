package gaiola.cli;

import gaiola.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * util-vserver's {@code vserver-new NAME [options] clone SOURCE [--layered]}: a new guest copied
 * from a stopped one ({@code build -m clone -- --source SOURCE [--layered]}), or {@code template
 * NAME|FILE} for one unpacked from a template.
 */
@Command(
    name = "vserver-new",
    mixinStandardHelpOptions = true,
    description = "Make a new guest from another: vserver-new NAME [options] clone SOURCE [--layered] | template NAME|FILE.")
public final class VserverNewCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", paramLabel = "NAME", description = "The new guest's name.")
  String name;

  @Parameters(index = "1", paramLabel = "clone|template", description = "How: clone a guest, or unpack a template.")
  String how;

  @Parameters(index = "2", paramLabel = "SOURCE", description = "The guest to clone, or the template.")
  String source;

  @Option(names = "--layered", description = "Clones only: the new root is an overlay over a hard-link copy of the source's tree (the source becomes layered too).")
  boolean layered;

  @Mixin GuestSettings settings = new GuestSettings();

  public VserverNewCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    BuildVerb build = new BuildVerb(context);
    build.guest = name;
    switch (how) {
      case "clone" -> {
        build.method = "clone";
        build.methodArgs = new ArrayList<>(List.of("--source", source));
        if (layered) {
          build.methodArgs.add("--layered");
        }
      }
      case "template" -> {
        if (layered) {
          throw new InvalidInputException("--layered applies to clones only, not to '" + how + "'", "leave it out");
        }
        build.method = "template";
        build.methodArgs = new ArrayList<>(List.of("-t", source));
      }
      default -> throw new InvalidInputException(
          "vserver-new does not know '" + how + "'", "use 'vserver-new NAME [options] clone SOURCE' or '… template NAME'");
    }
    build.settings = settings;
    return build.call();
  }
}
