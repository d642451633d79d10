package gaiola.cli;

import gaiola.config.GuestName;
import gaiola.guest.GuestEnd;
import gaiola.host.Privileges;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vserver NAME start}: returns once the guest's PID 1 runs and its start command ended. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start the guest.")
final class StartVerb extends GuestVerb {
  @Option(
      names = "--foreground",
      description = "Stay until the guest ends and say how it ended (halt, reboot, crash); clean up then.")
  boolean foreground;

  StartVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    GuestName name = name();
    if (foreground) {
      // As child subreaper we stay the parent of the guest's init and can read its exit status.
      Privileges.becomeSubreaper();
    }
    var daemon = foreground ? java.util.Optional.<gaiola.daemon.DaemonClient>empty() : context.daemon();
    if (daemon.isPresent()) {
      // The daemon starts it, so that it is the init's parent and supervises it.
      context.warnings(daemon.get().call("POST", "/1.0/guests/" + name + "/start", null));
      return 0;
    }
    guests().start(name);
    if (!foreground) {
      return 0;
    }
    Optional<GuestEnd> end = guests().awaitEnd(name);
    context.out().println("guest '" + name + "' ended: " + end.map(GuestEnd::describe).orElse("unknown"));
    return 0;
  }
}
