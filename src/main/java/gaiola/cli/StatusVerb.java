package gaiola.cli;

import gaiola.guest.GuestState;
import gaiola.guest.GuestStatus;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vserver NAME status}: exit 0 when running, 3 when stopped (util-vserver's convention). */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether the guest runs, its init, processes and uptime.")
final class StatusVerb extends GuestVerb {
  static final int STOPPED = 3;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  StatusVerb(CliContext context) {
    super(context);
  }

  /** The JSON form. */
  record Json(
      String name, int context, String state, Long initPid, int processes, long uptimeSeconds,
      String vdir, String initStyle, String hostname, String network, boolean isolated) {}

  @Override
  public Integer call() throws Exception {
    GuestStatus s = guests().status(name());
    Long initPid = s.state() instanceof GuestState.Running r ? r.initPid() : null;
    if (json) {
      context.printJson(
          new Json(
              s.config().name().value(), s.config().context().value(),
              s.state().isRunning() ? "running" : "stopped", initPid, s.processes(),
              s.uptime().toSeconds(), s.config().vdir().toString(),
              s.config().init().style().fileValue(), s.config().uts().nodename(),
              s.config().network().hostStack() ? "host" : "private", !s.config().network().hostStack()));
    } else if (s.state().isRunning()) {
      context.out().printf(
          "Vserver '%s' is running at context '%d'%n", s.config().name(), s.config().context().value());
      context.out().printf("Init PID:            %d%n", initPid);
      context.out().printf("Number of processes: %d%n", s.processes());
      context.out().printf("Uptime:              %s%n", uptime(s.uptime()));
      if (s.config().network().hostStack()) {
        context.out().println("Network:             host's stack (nonetns): NOT isolated");
      }
    } else {
      context.out().printf("Vserver '%s' is stopped%n", s.config().name());
    }
    if (!json) {
      // What gaiolad made of the guest's ends, the same whether or not it runs now.
      gaiola.daemon.SupervisionRecord.read(context.layout(), s.config().name())
          .ifPresent(r -> {
            context.out().printf("Restarts:            %d%n", r.restarts());
            if (!r.lastEnd().isEmpty()) {
              context.out().printf("Last end:            %s (%s)%n", r.lastEnd(), r.lastEndDetail());
            }
          });
    }
    return s.state().isRunning() ? 0 : STOPPED;
  }

  static String uptime(Duration d) {
    long s = d.toSeconds();
    return s >= 86400
        ? String.format("%dd %02d:%02d:%02d", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60)
        : String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
