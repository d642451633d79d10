package gaiola.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * util-vserver's {@code vserver NAME COMMAND [ARGS]}: the guest's name comes first, then what to do
 * with it. Each command is a small class of its own, parsed with what follows it.
 */
@Command(
    name = "vserver",
    mixinStandardHelpOptions = true,
    description = "Build, start, enter and stop one guest: vserver NAME COMMAND [ARGS].",
    footer = {
      "",
      "Commands: build, start, stop, restart, condrestart, exec, suexec, enter, status, running, delete,",
      "interface, net, union, log.",
      "Run 'gaiola vserver NAME COMMAND --help' for the options of one."
    })
public final class VserverCommand implements java.util.concurrent.Callable<Integer> {
  private final CliContext context;

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The guest's name or context id.")
  String name;

  @Parameters(index = "1", paramLabel = "COMMAND", description = "What to do.")
  String verb;

  @Parameters(index = "2..*", paramLabel = "ARGS", description = "The command's arguments.")
  List<String> args = new ArrayList<>();

  public VserverCommand(CliContext context) {
    this.context = context;
  }

  /** The verbs and how to make each, given the context and the guest's name. */
  static Map<String, Function<CliContext, Object>> verbs() {
    Map<String, Function<CliContext, Object>> m = new LinkedHashMap<>();
    m.put("build", BuildVerb::new);
    m.put("start", StartVerb::new);
    m.put("stop", StopVerb::new);
    m.put("restart", RestartVerb::new);
    m.put("condrestart", CondrestartVerb::new);
    m.put("exec", ExecVerb::new);
    m.put("suexec", SuexecVerb::new);
    m.put("enter", EnterVerb::new);
    m.put("status", StatusVerb::new);
    m.put("running", RunningVerb::new);
    m.put("delete", DeleteVerb::new);
    m.put("interface", InterfaceVerb::new);
    m.put("net", NetVerb::new);
    m.put("union", UnionVerb::new);
    m.put("log", LogVerb::new);
    return m;
  }

  @Override
  public Integer call() {
    Function<CliContext, Object> make = verbs().get(verb);
    if (make == null) {
      context.err().println(
          "gaiola: vserver: unknown command '" + verb + "'; use one of " + String.join(", ", verbs().keySet()));
      return 2;
    }
    Object command = make.apply(context);
    ((GuestVerb) command).guest = name;
    CommandLine cli = new CommandLine(command);
    cli.setCommandName("gaiola vserver " + name + " " + verb);
    cli.setOut(context.out());
    cli.setErr(context.err());
    // Everything after the command's own options belongs to the program run inside.
    cli.setStopAtPositional(command instanceof ExecVerb || command instanceof SuexecVerb);
    cli.setExecutionExceptionHandler((e, c, p) -> Main.report(context, e));
    cli.setParameterExceptionHandler(
        (e, a) -> {
          context.err().println("gaiola: " + e.getMessage());
          context.err().println("  try 'gaiola vserver " + name + " " + verb + " --help'");
          return 2;
        });
    return cli.execute(args.toArray(String[]::new));
  }
}
