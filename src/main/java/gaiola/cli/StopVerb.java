package gaiola.cli;

import picocli.CommandLine.Command;

/** {@code vserver NAME stop}: returns once every process of the guest is gone. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the guest.")
final class StopVerb extends GuestVerb {
  StopVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    guests().stop(name());
    return 0;
  }
}
