package gaiola.cli;

import picocli.CommandLine.Command;

/** {@code vserver NAME enter}: a login shell inside, with a terminal when we have one. */
@Command(name = "enter", mixinStandardHelpOptions = true, description = "Open a shell inside the running guest.")
final class EnterVerb extends GuestVerb {
  EnterVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    java.io.Console console = System.console();
    return guests().enter(name(), console != null && console.isTerminal());
  }
}
