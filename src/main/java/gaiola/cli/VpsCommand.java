package gaiola.cli;

import gaiola.proc.ContextMap;
import gaiola.proc.ContextProcess;
import gaiola.proc.Vps;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vps}: every process on the host with its context id, guest name and guest-local PID. */
@Command(
    name = "vps",
    mixinStandardHelpOptions = true,
    description = "List every process on the host with its CONTEXT and guest NAME (0/host for the host).")
final class VpsCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(names = "--guest", paramLabel = "NAME", description = "Only this guest's processes.")
  String guest;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  VpsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (guest != null) {
      context.guests().resolve(guest);
    }
    ContextMap map = ProcessView.read(context.guests());
    List<ContextProcess> rows = Vps.select(map, Optional.ofNullable(guest));
    context.out().print(json ? Vps.json(rows) + "\n" : Vps.text(rows));
    context.out().flush();
    return 0;
  }
}
