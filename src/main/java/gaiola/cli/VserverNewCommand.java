package gaiola.cli;

import gaiola.error.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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

  @Option(names = "--context", paramLabel = "XID", description = "Context id, 2..49151 (default: the next free from 40000).")
  String contextId;

  @Option(names = "--hostname", paramLabel = "NAME", description = "Host name inside (default: the guest's name).")
  String hostname;

  @Option(names = "--domainname", paramLabel = "NAME", description = "NIS/DNS domain name inside.")
  String domainname;

  @Option(names = "--initstyle", paramLabel = "STYLE", description = "Init style (default: the source's for a clone).")
  String initStyle;

  @Option(names = "--interface", paramLabel = "[NAME=][DEV:]IP/PREFIX", description = "An address the guest owns (repeatable).")
  List<String> interfaces = new ArrayList<>();

  @Option(names = "--rootdir", paramLabel = "DIR", description = "The root tree (default: /vservers/NAME).")
  Path rootdir;

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
    build.contextId = contextId;
    build.hostname = hostname;
    build.domainname = domainname;
    build.initStyle = initStyle;
    build.interfaces = interfaces;
    build.rootdir = rootdir;
    return build.call();
  }
}
