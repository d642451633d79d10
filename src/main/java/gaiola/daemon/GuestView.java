package gaiola.daemon;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.guest.GuestState;
import gaiola.guest.GuestStatus;

/** A guest as the API shows it: the status command's facts and what the daemon made of its ends. */
public record GuestView(
    String name, int context, String vdir, String state, Long initPid, int processes, long uptimeSeconds,
    String restartPolicy, int restarts, String lastEnd, String lastEndDetail) {

  static GuestView of(GuestStatus s, HostLayout layout, GuestName name, RestartPolicy policy) {
    SupervisionRecord r = SupervisionRecord.read(layout, name).orElse(SupervisionRecord.NONE);
    Long pid = s.state() instanceof GuestState.Running run ? run.initPid() : null;
    return new GuestView(
        name.value(), s.config().context().value(), s.config().vdir().toString(), s.state().isRunning() ? "running" : "stopped",
        pid, s.processes(), s.uptime().toSeconds(), policy.toString(), r.restarts(),
        r.lastEnd().isEmpty() ? null : r.lastEnd(), r.lastEndDetail().isEmpty() ? null : r.lastEndDetail());
  }
}
