package gaiola.cli;

import gaiola.config.GuestName;
import gaiola.error.GaiolaException;
import gaiola.guest.Guests;
import java.util.concurrent.Callable;

/** A {@code vserver NAME COMMAND}: knows the guest it acts on and the shared context. */
abstract class GuestVerb implements Callable<Integer> {
  protected final CliContext context;
  String guest;

  GuestVerb(CliContext context) {
    this.context = context;
  }

  @picocli.CommandLine.Option(names = {"-v", "--verbose"}, description = "Say more about what happens.")
  void verbose(boolean on) {
    context.verbose |= on;
  }

  @picocli.CommandLine.Option(names = "--debug", description = "Print stack traces of failures.")
  void debug(boolean on) {
    context.debug |= on;
  }

  Guests guests() {
    return context.guests();
  }

  /** The guest named on the command line, which must exist. */
  GuestName name() throws GaiolaException {
    return guests().resolve(guest);
  }
}
