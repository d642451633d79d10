package gaiola.cli;

import gaiola.proc.VserverStat;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vserver-stat}: one line per running guest, the host first. */
@Command(
    name = "vserver-stat",
    mixinStandardHelpOptions = true,
    description = "One line per running guest: CTX PROC VSZ RSS userTIME sysTIME UPTIME NAME.")
final class VserverStatCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  VserverStatCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var rows = VserverStat.rows(ProcessView.read(context.guests()), Instant.now());
    context.out().print(json ? VserverStat.json(rows) + "\n" : VserverStat.text(rows));
    context.out().flush();
    return 0;
  }
}
