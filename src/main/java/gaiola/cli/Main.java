package gaiola.cli;

import gaiola.error.GaiolaException;
import java.util.Optional;
import picocli.CommandLine;

/** The {@code gaiola} command line: parse, call the engine, print, exit with its status. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(CliContext.system(), args));
  }

  /** Runs one command line and returns its exit status; used by tests with captured output. */
  public static int run(CliContext context, String... args) {
    CommandLine cli = commandLine(context, GaiolaCommand.requestedCommand(args));
    return cli.execute(args);
  }

  /** The command line with the requested command only, or with all of them for help and errors. */
  static CommandLine commandLine(CliContext context, Optional<String> requested) {
    Factory factory = new Factory(context);
    CommandLine cli = new CommandLine(new GaiolaCommand(context), factory);
    boolean known = requested.isPresent() && GaiolaCommand.COMMANDS.containsKey(requested.get());
    GaiolaCommand.COMMANDS.forEach(
        (name, cls) -> {
          if (!known || name.equals(requested.get())) {
            cli.addSubcommand(name, new CommandLine(cls, factory));
          }
        });
    CommandLine vserver = cli.getSubcommands().get("vserver");
    if (vserver != null) {
      // util-vserver's order, 'vserver NAME COMMAND ARGS': the command's options belong to it.
      vserver.setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
    }
    cli.setOut(context.out());
    cli.setErr(context.err());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(context, e));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          context.err().println("gaiola: " + e.getMessage());
          context.err().println("  try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
          return 2;
        });
    return cli;
  }

  /** One line for the user; the stack trace only with --debug. */
  static int report(CliContext context, Exception e) {
    if (context.debug) {
      e.printStackTrace(context.err());
    }
    if (e instanceof GaiolaException g) {
      context.err().println("gaiola: " + g.oneLine());
      return g.exitCode();
    }
    context.err().println("gaiola: internal error: " + e + " (run with --debug for details)");
    return 70;
  }

  /** Gives every command the shared context through its constructor. */
  private record Factory(CliContext context) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        return cls.getDeclaredConstructor(CliContext.class).newInstance(context);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
