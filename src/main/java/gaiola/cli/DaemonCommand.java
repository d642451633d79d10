package gaiola.cli;

import gaiola.daemon.Daemon;
import gaiola.host.SystemProcessRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gaiola daemon}: runs gaiolad in the foreground until SIGTERM; the guests stay running. */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = {
      "Run gaiolad in the foreground: the API on /run/gaiola/gaiola.sock, supervision of the guests'",
      "inits (reboot, halt, restart policy), and autostart of the guests marked 'default'.",
      "Stopping it (SIGTERM, Ctrl-C, kill -9) leaves the guests running; the next daemon adopts them."
    })
final class DaemonCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(names = "--mark", paramLabel = "MARK", description = "Start the guests of this mark (default: ${DEFAULT-VALUE}).")
  String mark = "default";

  @Option(names = "--no-autostart", description = "Start no guest.")
  boolean noAutostart;

  DaemonCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    // The daemon launches runc for a guest's start without the JDK's helper process (Spawn).
    var runner = context.runner() instanceof SystemProcessRunner ? new SystemProcessRunner(true) : context.runner();
    Daemon.run(context.layout(), runner, noAutostart ? null : mark, context.err());
    return 0;
  }
}
