package gaiola.cli;

import gaiola.build.BuildMethod;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.guest.BuildRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vserver NAME build -m METHOD [options] [-- METHOD-ARGS]}. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = "Create a guest: its configuration in /etc/vservers/NAME and its root tree.")
final class BuildVerb extends GuestVerb {
  @Option(names = {"-m", "--method"}, required = true, paramLabel = "METHOD", description = "skeleton, busybox, debootstrap (-- -d SUITE [-m MIRROR] [--variant V] [-- OPTIONS]), template (-- -t NAME|FILE) or clone (-- --source GUEST [--layered]).")
  String method;

  @Mixin GuestSettings settings = new GuestSettings();

  @Parameters(paramLabel = "METHOD-ARGS", description = "Arguments of the build method, after '--'.")
  List<String> methodArgs = new ArrayList<>();

  BuildVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    BuildRequest request = settings.request(GuestName.parse(guest), BuildMethod.parse(method, methodArgs));
    GuestConfig config = guests().build(request);
    context.out().println(
        "built guest '" + config.name() + "' (context " + config.context() + ", " + config.vdir() + ")");
    return 0;
  }
}
