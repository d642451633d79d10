package gaiola.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gaiola.config.GuestName;
import gaiola.error.InvalidInputException;
import gaiola.guest.GuestState;
import gaiola.host.Pidfd;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * util-vserver's {@code vwait [--timeout T] [--terminate] NAME}: blocks until the guest stops and
 * says why. The daemon knows why (halt, reboot, exit code or signal, stop); without it only that
 * the guest ended is known. After {@code --timeout} seconds it gives up ("timeout", exit 1), and
 * {@code --terminate} then kills the guest (OpenVZ's fast stop), as util-vserver's does.
 */
@Command(
    name = "vwait",
    mixinStandardHelpOptions = true,
    description = "Wait until the guest stops; print why: halt, reboot, exit, killed, stop (or timeout: exit 1).")
final class VwaitCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", paramLabel = "NAME", description = "The guest's name or context id.")
  String guest;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this many seconds (1 to 86400): print timeout, exit 1.")
  Integer timeout;

  @Option(names = "--terminate", description = "On a timeout, kill the guest (as stop --fast).")
  boolean terminate;

  VwaitCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (timeout != null && (timeout < 1 || timeout > 86_400)) {
      throw new InvalidInputException(
          "--timeout " + timeout + " is not a number of seconds from 1 to 86400", "give e.g. --timeout 30");
    }
    if (terminate && timeout == null) {
      throw new InvalidInputException("--terminate needs --timeout", "give e.g. --timeout 30 --terminate");
    }
    GuestName name = context.guests().resolve(guest);
    var daemon = context.daemon();
    String said;
    if (daemon.isPresent()) {
      JsonNode r = daemon.get()
          .call("GET", "/1.0/guests/" + name + "/wait" + (timeout == null ? "" : "?timeout=" + timeout), null)
          .json();
      String reason = r.path("reason").asText();
      String detail = r.path("detail").isTextual() ? " (" + r.path("detail").asText() + ")" : "";
      said = reason.equals("not-running") ? "not running" : reason + detail;
    } else {
      said = awaitInProcess(name);
    }
    if (!said.equals("timeout")) {
      context.out().println(name + ": " + said);
      return 0;
    }
    if (terminate) {
      if (daemon.isPresent()) {
        context.warnings(daemon.get().call("POST", "/1.0/guests/" + name + "/stop?fast=1", null));
      } else {
        context.guests().stop(name, true);
      }
      said = "timeout; killed (stop --fast)";
    }
    context.out().println(name + ": " + said);
    return 1;
  }

  /** Without the daemon: the init's pidfd turns readable when the guest has ended. */
  private String awaitInProcess(GuestName name) throws Exception {
    if (!(context.guests().state(name) instanceof GuestState.Running r)) {
      return "not running";
    }
    Optional<Pidfd> fd = Pidfd.open(r.initPid());
    if (fd.isPresent()) {
      try (Pidfd init = fd.get()) {
        if (timeout != null) {
          return init.awaitExit(Duration.ofSeconds(timeout)) ? "ended (why is known only to gaiolad)" : "timeout";
        }
        while (!init.awaitExit(Duration.ofHours(1))) {
          // Keep waiting.
        }
      }
    }
    return "ended (why is known only to gaiolad)";
  }
}
