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
    gaiola.config.GuestName name = name();
    var daemon = context.daemon();
    if (daemon.isPresent()) {
      context.warnings(daemon.get().call("POST", "/1.0/guests/" + name + "/stop", null));
      return 0;
    }
    guests().stop(name);
    return 0;
  }
}
