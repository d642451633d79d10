package gaiola.cli;

import gaiola.config.GuestName;
import picocli.CommandLine.Command;

/** {@code vserver NAME condrestart}: restart only a running guest. */
@Command(name = "condrestart", mixinStandardHelpOptions = true, description = "Restart the guest if it runs.")
final class CondrestartVerb extends GuestVerb {
  CondrestartVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    GuestName name = name();
    if (guests().state(name).isRunning()) {
      guests().restart(name);
    }
    return 0;
  }
}
