package gaiola.cli;

import gaiola.error.StateException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code gaiola events}: the daemon's live stream of state changes, one JSON object per line. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Print the guests' state changes as they happen, one JSON object per line (needs gaiolad).")
final class EventsCommand implements Callable<Integer> {
  private final CliContext context;

  EventsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var daemon = context.daemon();
    if (daemon.isEmpty()) {
      throw new StateException("gaiolad is not running, so there are no events to follow", "start it with 'gaiola daemon'");
    }
    daemon.get().stream("/1.0/events", line -> {
      context.out().println(line);
      context.out().flush();
    });
    return 0;
  }
}
