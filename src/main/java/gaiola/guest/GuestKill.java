package gaiola.guest;

import gaiola.config.KillSequence;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.Pidfd;
import gaiola.host.Signals;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** How a graceful stop ends a guest's processes: bounded steps inside, then the kill sequence. */
final class GuestKill {
  private GuestKill() {}

  /** Something run inside the guest during its stop. */
  interface InsideStep {
    void run() throws GaiolaException;
  }

  /**
   * Runs a step of the stop inside the guest; one that has not returned after the grace period (a
   * stop command that never ends) has the guest killed, which ends it too, and sets {@code overdue}.
   */
  static void bounded(Pidfd init, AtomicBoolean overdue, Duration grace, InsideStep step) throws GaiolaException {
    Thread watchdog = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(grace);
        overdue.set(true);
        init.signal(Signals.SIGKILL);
      } catch (InterruptedException | GaiolaException e) {
        // Returned in time, or the guest is gone already.
      }
    });
    try {
      step.run();
    } finally {
      watchdog.interrupt();
      try {
        watchdog.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * util-vserver's kill sequence over the guest's processes. With a reaper as PID 1 the reaper is
   * spared until the end, so that the kernel does not kill the others before they had their signal.
   */
  static void sequence(KillSequence seq, Pidfd init, boolean ownInit)
      throws GaiolaException {
    for (KillSequence.Step step : seq.steps()) {
      if (init.exited()) {
        return;
      }
      List<Long> others = othersThanInit(init.pid());
      if (others.isEmpty() && !ownInit) {
        return;
      }
      switch (step) {
        case KillSequence.Signal s -> {
          for (long pid : others) {
            signal(pid, s.number());
          }
          if (ownInit) {
            init.signal(s.number());
          }
        }
        case KillSequence.Wait w -> waitForOthers(init, w.atMost(), ownInit);
      }
    }
  }

  private static void waitForOthers(Pidfd init, Duration atMost, boolean ownInit)
      throws GaiolaException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      if (ownInit) {
        if (init.awaitExit(Duration.ofMillis(20))) {
          return;
        }
      } else {
        if (othersThanInit(init.pid()).isEmpty()) {
          return;
        }
        // The others are not our children and have no descriptor we could wait on together.
        sleep(Duration.ofMillis(10));
      }
    }
  }

  private static void signal(long pid, int signal) throws GaiolaException {
    Optional<Pidfd> fd = Pidfd.open(pid);
    if (fd.isPresent()) {
      try (Pidfd p = fd.get()) {
        p.signal(signal);
      }
    }
  }

  private static List<Long> othersThanInit(long initPid) throws GaiolaException {
    return Lifecycle.processes(initPid).stream().filter(p -> p != initPid).toList();
  }

  private static void sleep(Duration d) throws HostException {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException("interrupted");
    }
  }
}
