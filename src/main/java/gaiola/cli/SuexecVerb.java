package gaiola.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vserver NAME suexec USER CMD [ARGS]}: through gaiolad when it runs, as exec. */
@Command(name = "suexec", mixinStandardHelpOptions = true, description = "Run a command inside the running guest as USER.")
final class SuexecVerb extends GuestVerb {
  @Parameters(index = "0", paramLabel = "USER", description = "A user name of the guest, or a uid[:gid].")
  String user;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
  List<String> command;

  SuexecVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    context.out().flush();
    var daemon = context.daemon();
    if (daemon.isPresent()) {
      return context.execThrough(daemon.get(), name(), user, command);
    }
    return guests().suexec(name(), user, command);
  }
}
