package gaiola.cli;

import picocli.CommandLine.Command;

/** {@code vserver NAME restart}: stop, then start. */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop, then start the guest.")
final class RestartVerb extends GuestVerb {
  RestartVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    guests().restart(name());
    return 0;
  }
}
