package gaiola.cli;

import picocli.CommandLine.Command;

/** {@code vserver NAME running}: exit 0 when running, 1 when not; prints nothing. */
@Command(name = "running", mixinStandardHelpOptions = true, description = "Exit 0 if the guest runs, 1 if not.")
final class RunningVerb extends GuestVerb {
  RunningVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    return guests().state(name()).isRunning() ? 0 : 1;
  }
}
