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
    gaiola.config.GuestName name = name();
    var daemon = context.daemon();
    if (daemon.isPresent()) {
      context.warnings(daemon.get().call("POST", "/1.0/guests/" + name + "/restart", null));
      return 0;
    }
    guests().restart(name);
    return 0;
  }
}
