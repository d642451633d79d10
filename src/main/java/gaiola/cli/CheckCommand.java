package gaiola.cli;

import gaiola.config.IpLiteral;
import gaiola.network.BindingTrap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check}: the address binding trap, host processes listening on a wildcard address on a
 * port a running guest serves. Exit 0 when there is none, 1 when there are findings.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Find host processes that listen on a wildcard address (0.0.0.0 or ::) on a port a running",
      "guest also serves, and say how to fix them. Exit status 0: none; 1: findings."
    })
final class CheckCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  CheckCommand(CliContext context) {
    this.context = context;
  }

  /** One finding in JSON. */
  record Json(
      String protocol, int port, String hostAddress, long pid, String program, String guest,
      String guestAddress, String fix) {}

  @Override
  public Integer call() throws Exception {
    List<BindingTrap.Finding> findings = context.guests().bindingTrap();
    if (json) {
      context.printJson(
          findings.stream()
              .map(
                  f ->
                      new Json(
                          f.host().protocol(), f.host().port(), IpLiteral.format(f.host().address()), f.pid(),
                          f.program(), f.guest().guest(), IpLiteral.format(f.guest().listener().address()),
                          f.fix()))
              .toList());
    } else if (findings.isEmpty()) {
      context.out().println("no host process listens on a wildcard address on a port a running guest serves");
    } else {
      for (BindingTrap.Finding f : findings) {
        context.out().printf(
            "%s (pid %d) listens on %s port %d/%s, which guest '%s' serves on %s%n  fix: %s%n",
            f.program(), f.pid(), IpLiteral.format(f.host().address()), f.host().port(), f.host().protocol(),
            f.guest().guest(), IpLiteral.format(f.guest().listener().address()), f.fix());
      }
    }
    context.out().flush();
    return findings.isEmpty() ? 0 : 1;
  }
}
