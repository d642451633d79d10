package gaiola.cli;

import gaiola.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * util-vserver's {@code vserver-new NAME [options] clone SOURCE}: a new guest copied from a stopped
 * one ({@code build -m clone -- --source SOURCE}), or {@code template NAME|FILE} for one unpacked
 * from a template.
 */
@Command(
    name = "vserver-new",
    mixinStandardHelpOptions = true,
    description = "Make a new guest from another: vserver-new NAME [options] clone SOURCE | template NAME|FILE.")
public final class VserverNewCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", paramLabel = "NAME", description = "The new guest's name.")
  String name;

  @Parameters(index = "1", paramLabel = "clone|template", description = "How: clone a guest, or unpack a template.")
  String how;

  @Parameters(index = "2", paramLabel = "SOURCE", description = "The guest to clone, or the template.")
  String source;

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
      }
      case "template" -> {
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
