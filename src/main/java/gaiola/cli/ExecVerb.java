package gaiola.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vserver NAME exec CMD [ARGS]}: the command's exit status is ours. */
@Command(name = "exec", mixinStandardHelpOptions = true, description = "Run a command inside the running guest as root.")
final class ExecVerb extends GuestVerb {
  @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
  List<String> command;

  ExecVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    context.out().flush();
    return guests().exec(name(), command);
  }
}
