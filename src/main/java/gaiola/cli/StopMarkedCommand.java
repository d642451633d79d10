package gaiola.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code start-vservers --stop -m MARK}: for host shutdown, the orders backwards. */
@Command(name = "stop-marked", mixinStandardHelpOptions = true, description = "Stop the guests whose apps/init/mark is MARK, highest apps/init/order first.")
final class StopMarkedCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MARK", description = "The mark (default: ${DEFAULT-VALUE}).")
  String mark = "default";

  StopMarkedCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    return Marked.run(context, mark, false);
  }
}
