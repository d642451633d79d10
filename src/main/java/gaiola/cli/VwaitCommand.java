package gaiola.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gaiola.config.GuestName;
import gaiola.error.InvalidInputException;
import gaiola.guest.GuestState;
import gaiola.host.FileCalls;
import gaiola.host.Pidfd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * util-vserver's {@code vwait [--timeout T] [--terminate] [--status-fd FD] NAME}: blocks until the
 * guest stops and says why. The daemon knows why (halt, reboot, exit code or signal, stop); without
 * it only that the guest ended is known. After {@code --timeout} seconds it gives up ("timeout",
 * exit 2), and {@code --terminate} then kills the guest (OpenVZ's fast stop; exit 1), as
 * util-vserver's does. {@code --status-fd} writes util-vserver's status line to that descriptor.
 */
@Command(
    name = "vwait",
    mixinStandardHelpOptions = true,
    description = "Wait until the guest stops; print why: halt, reboot, exit, killed, stop (exit 0), or timeout (exit 2; "
        + "killed by --terminate: exit 1).")
final class VwaitCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", paramLabel = "NAME", description = "The guest's name or context id.")
  String guest;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this many seconds (1 to 86400): print timeout, exit 2.")
  Integer timeout;

  @Option(names = "--terminate", description = "On a timeout, kill the guest (as stop --fast) and exit 1.")
  boolean terminate;

  @Option(
      names = "--status-fd",
      paramLabel = "FD",
      description = "Also write util-vserver's status line to this open descriptor: FINISHED <exit status>, KILLED or TIMEOUT.")
  Integer statusFd;

  /** util-vserver's exit statuses. */
  static final int FINISHED = 0, KILLED = 1, TIMEOUT = 2;

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
    if (statusFd != null && (statusFd < 0 || !Files.exists(Path.of("/proc/self/fd/" + statusFd)))) {
      throw new InvalidInputException(
          "--status-fd " + statusFd + " is not an open descriptor", "open it in the shell, e.g. --status-fd 3 3>status");
    }
    GuestName name = context.guests().resolve(guest);
    var daemon = context.daemon();
    String said;
    int exitStatus = 0;
    if (daemon.isPresent()) {
      JsonNode r = daemon.get()
          .call("GET", "/1.0/guests/" + name + "/wait" + (timeout == null ? "" : "?timeout=" + timeout), null)
          .json();
      String reason = r.path("reason").asText();
      String detail = r.path("detail").isTextual() ? " (" + r.path("detail").asText() + ")" : "";
      said = reason.equals("not-running") ? "not running" : reason + detail;
      exitStatus = r.path("exitStatus").asInt(0);
    } else {
      said = awaitInProcess(name);
    }
    if (!said.equals("timeout")) {
      context.out().println(name + ": " + said);
      return status(FINISHED, "FINISHED " + exitStatus);
    }
    if (!terminate) {
      context.out().println(name + ": timeout");
      return status(TIMEOUT, "TIMEOUT");
    }
    if (daemon.isPresent()) {
      context.warnings(daemon.get().call("POST", "/1.0/guests/" + name + "/stop?fast=1", null));
    } else {
      context.guests().stop(name, true);
    }
    context.out().println(name + ": timeout; killed (stop --fast)");
    return status(KILLED, "KILLED");
  }

  /** Writes the status line where --status-fd says, and returns the exit status. */
  private int status(int exit, String line) throws IOException {
    if (statusFd != null) {
      byte[] b = (line + "\n").getBytes(StandardCharsets.US_ASCII);
      FileCalls.write(statusFd, b, 0, b.length, FileCalls.bytes("--status-fd " + statusFd));
    }
    return exit;
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
