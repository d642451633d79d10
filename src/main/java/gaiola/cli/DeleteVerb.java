package gaiola.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vserver NAME delete [--force]}: configuration and root tree. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove the guest's configuration and root tree.")
final class DeleteVerb extends GuestVerb {
  @Option(names = "--force", description = "Stop the guest first if it runs.")
  boolean force;

  DeleteVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    var name = name();
    guests().delete(name, force);
    context.out().println("deleted guest '" + name + "'");
    return 0;
  }
}
