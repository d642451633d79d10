package gaiola.proc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * What {@code vserver NAME status} reports about a running guest's processes: how many, since when,
 * and what they use. CPU times include those of reaped children, as vserver-stat counts them.
 */
public record GuestProcesses(
    long initPid,
    long pidNamespace,
    int processCount,
    Instant started,
    Duration uptime,
    long vszBytes,
    long rssBytes,
    Duration userTime,
    Duration systemTime,
    List<ProcessInfo> processes) {

  public GuestProcesses {
    processes = List.copyOf(processes);
  }

  /** The guest whose init has this host pid, as of now; empty if that init is not running. */
  public static Optional<GuestProcesses> summarize(ProcessTable table, long initPid) {
    return summarize(table, initPid, Instant.now());
  }

  /** The guest whose init has this host pid, with its uptime counted up to {@code now}. */
  public static Optional<GuestProcesses> summarize(ProcessTable table, long initPid, Instant now) {
    Optional<ProcessInfo> init = table.process(initPid);
    if (init.isEmpty()) {
      return Optional.empty();
    }
    long ns = init.get().pidNamespace();
    // without a namespace of its own (or a readable one) a guest is its init and its descendants
    List<ProcessInfo> members =
        ns == ProcessInfo.UNKNOWN_NAMESPACE || ns == table.hostNamespace()
            ? descendants(table, initPid)
            : table.inNamespace(ns);
    Totals totals = Totals.of(members);
    Instant started = init.get().startTime();
    Duration uptime = started.isAfter(now) ? Duration.ZERO : Duration.between(started, now);
    return Optional.of(
        new GuestProcesses(
            initPid,
            ns,
            totals.count(),
            started,
            uptime,
            totals.vszBytes(),
            totals.rssBytes(),
            totals.userTime(),
            totals.systemTime(),
            members));
  }

  private static List<ProcessInfo> descendants(ProcessTable table, long rootPid) {
    List<ProcessInfo> found = new ArrayList<>();
    Deque<Long> todo = new ArrayDeque<>(List.of(rootPid));
    while (!todo.isEmpty()) {
      long pid = todo.pop();
      table.process(pid).ifPresent(found::add);
      table.all().stream().filter(p -> p.ppid() == pid).forEach(p -> todo.push(p.pid()));
    }
    found.sort((a, b) -> Long.compare(a.pid(), b.pid()));
    return found;
  }
}
