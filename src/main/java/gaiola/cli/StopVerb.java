package gaiola.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vserver NAME stop}: returns once every process of the guest is gone. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the guest.")
final class StopVerb extends GuestVerb {
  @Option(
      names = "--fast",
      description = "Kill the guest's processes at once, without shutting it down from inside (OpenVZ's stop --fast).")
  boolean fast;

  StopVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    gaiola.config.GuestName name = name();
    var daemon = context.daemon();
    if (daemon.isPresent()) {
      context.warnings(daemon.get().call("POST", "/1.0/guests/" + name + "/stop" + (fast ? "?fast=1" : ""), null));
      return 0;
    }
    guests().stop(name, fast);
    return 0;
  }
}
