package gaiola.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vserver NAME exec CMD [ARGS]}: the command's exit status is ours. With gaiolad running it
 * goes through the daemon's streamed exec (same stdin, output and status as in-process).
 */
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
    var daemon = context.daemon();
    if (daemon.isPresent()) {
      return context.execThrough(daemon.get(), name(), null, command);
    }
    return guests().exec(name(), command);
  }
}
