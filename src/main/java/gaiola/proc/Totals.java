package gaiola.proc;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/** Sums over a set of processes, counted the way vserver-stat counts them. */
record Totals(
    int count,
    long vszBytes,
    long rssBytes,
    Duration userTime,
    Duration systemTime,
    Instant oldestStart) {
  static Totals of(Collection<ProcessInfo> processes) {
    long vsz = 0;
    long rss = 0;
    Duration user = Duration.ZERO;
    Duration system = Duration.ZERO;
    Instant oldest = Instant.MAX;
    for (ProcessInfo p : processes) {
      vsz += p.vszBytes();
      rss += p.rssBytes();
      // reaped children's time stays with the context, as vserver-stat reports it
      user = user.plus(p.userTime()).plus(p.childUserTime());
      system = system.plus(p.systemTime()).plus(p.childSystemTime());
      oldest = p.startTime().isBefore(oldest) ? p.startTime() : oldest;
    }
    return new Totals(processes.size(), vsz, rss, user, system, oldest);
  }
}
