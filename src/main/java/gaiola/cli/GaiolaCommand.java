package gaiola.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options and the list of commands. */
@Command(
    name = "gaiola",
    mixinStandardHelpOptions = true,
    version = "gaiola 0.1.0",
    description = "Virtual servers on a mainline Linux kernel, in the tradition of Linux-VServer.",
    subcommands = {
      VserverCommand.class,
      ListCommand.class,
      VpsCommand.class,
      VserverStatCommand.class,
      CheckCommand.class,
      DaemonCommand.class,
      VwaitCommand.class,
      EventsCommand.class,
      StartMarkedCommand.class,
      StopMarkedCommand.class,
    })
public final class GaiolaCommand implements Runnable {
  private final CliContext context;

  public GaiolaCommand(CliContext context) {
    this.context = context;
  }

  @Option(
      names = "--root",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Keep every host path (/etc/vservers, /vservers, /var/lib/gaiola, /run/gaiola) below DIR (env GAIOLA_ROOT).")
  void root(Path dir) {
    context.root = dir.toAbsolutePath();
  }

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Say more about what happens.")
  void verbose(boolean on) {
    context.verbose = on;
  }

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
  void debug(boolean on) {
    context.debug = on;
  }

  @Option(
      names = "--no-daemon",
      scope = ScopeType.INHERIT,
      description = "Run the engine in this process even when gaiolad runs (env GAIOLA_NO_DAEMON=1).")
  void noDaemon(boolean on) {
    context.noDaemon = on;
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }
}
