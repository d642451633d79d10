package gaiola.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** util-vserver's {@code start-vservers --start -m MARK}: the guests of a mark, in parallel by order. */
@Command(name = "start-marked", mixinStandardHelpOptions = true, description = "Start the guests whose apps/init/mark is MARK, by apps/init/order, in parallel within an order.")
final class StartMarkedCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MARK", description = "The mark (default: ${DEFAULT-VALUE}).")
  String mark = "default";

  StartMarkedCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    return Marked.run(context, mark, true);
  }
}
