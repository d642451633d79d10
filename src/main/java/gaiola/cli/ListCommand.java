package gaiola.cli;

import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.error.GaiolaException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gaiola list}: every configured guest with its context and state. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the configured guests.")
final class ListCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  ListCommand(CliContext context) {
    this.context = context;
  }

  record Row(String name, int context, String state, String hostname, String initStyle, String vdir) {}

  @Override
  public Integer call() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (GuestName name : context.guests().list()) {
      try {
        GuestConfig c = context.guests().config(name);
        String state = context.guests().state(name).isRunning() ? "running" : "stopped";
        rows.add(new Row(name.value(), c.context().value(), state, c.uts().nodename(),
            c.init().style().fileValue(), c.vdir().toString()));
      } catch (GaiolaException e) {
        context.err().println("gaiola: " + name + ": " + e.oneLine());
      }
    }
    if (json) {
      context.printJson(rows);
      return 0;
    }
    context.out().printf("%-20s %7s %-8s %-6s %s%n", "NAME", "CONTEXT", "STATE", "INIT", "HOSTNAME");
    for (Row r : rows) {
      context.out().printf("%-20s %7d %-8s %-6s %s%n", r.name(), r.context(), r.state(), r.initStyle(), r.hostname());
    }
    return 0;
  }
}
