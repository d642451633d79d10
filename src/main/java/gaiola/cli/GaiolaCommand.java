package gaiola.cli;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.SequencedMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options and the list of commands. */
@Command(
    name = "gaiola",
    mixinStandardHelpOptions = true,
    version = "gaiola 0.1.0",
    description = "Virtual servers on a mainline Linux kernel, in the tradition of Linux-VServer.")
public final class GaiolaCommand implements Runnable {
  /**
   * The commands by name, in the order help lists them. Main builds only the one a command line
   * names: picocli reflects over every command it is given, which a one-shot command pays for.
   */
  static final SequencedMap<String, Class<?>> COMMANDS = commands();

  private static SequencedMap<String, Class<?>> commands() {
    SequencedMap<String, Class<?>> m = new LinkedHashMap<>();
    m.put("vserver", VserverCommand.class);
    m.put("list", ListCommand.class);
    m.put("vps", VpsCommand.class);
    m.put("vserver-stat", VserverStatCommand.class);
    m.put("check", CheckCommand.class);
    m.put("template", TemplateCommand.class);
    m.put("vserver-new", VserverNewCommand.class);
    m.put("vhashify", VhashifyCommand.class);
    m.put("vdu", VduCommand.class);
    m.put("showattr", ShowattrCommand.class);
    m.put("setattr", SetattrCommand.class);
    m.put("daemon", DaemonCommand.class);
    m.put("vwait", VwaitCommand.class);
    m.put("events", EventsCommand.class);
    m.put("start-marked", StartMarkedCommand.class);
    m.put("stop-marked", StopMarkedCommand.class);
    return Collections.unmodifiableSequencedMap(m);
  }

  /** The command a command line names: its first word that is neither a global option nor its value. */
  static Optional<String> requestedCommand(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--root")) {
        i++;
      } else if (!a.startsWith("-")) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

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
