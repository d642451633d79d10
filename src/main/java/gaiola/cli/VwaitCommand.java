package gaiola.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gaiola.config.GuestName;
import gaiola.guest.GuestState;
import gaiola.host.Pidfd;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * util-vserver's {@code vwait NAME}: blocks until the guest stops and says why. The daemon knows
 * why (halt, reboot, exit code or signal, stop); without it only that the guest ended is known.
 */
@Command(name = "vwait", mixinStandardHelpOptions = true, description = "Wait until the guest stops; print why: halt, reboot, exit, killed, stop.")
final class VwaitCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", paramLabel = "NAME", description = "The guest's name or context id.")
  String guest;

  VwaitCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    GuestName name = context.guests().resolve(guest);
    var daemon = context.daemon();
    if (daemon.isPresent()) {
      JsonNode r = daemon.get().call("GET", "/1.0/guests/" + name + "/wait", null).json();
      String reason = r.path("reason").asText();
      String detail = r.path("detail").isTextual() ? " (" + r.path("detail").asText() + ")" : "";
      context.out().println(name + ": " + (reason.equals("not-running") ? "not running" : reason + detail));
      return 0;
    }
    if (!(context.guests().state(name) instanceof GuestState.Running r)) {
      context.out().println(name + ": not running");
      return 0;
    }
    Optional<Pidfd> fd = Pidfd.open(r.initPid());
    if (fd.isPresent()) {
      try (Pidfd init = fd.get()) {
        while (!init.awaitExit(Duration.ofHours(1))) {
          // Keep waiting.
        }
      }
    }
    context.out().println(name + ": ended (why is known only to gaiolad)");
    return 0;
  }
}
