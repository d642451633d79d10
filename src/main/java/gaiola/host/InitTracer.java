package gaiola.host;

import gaiola.error.HostException;
import java.util.Optional;

/**
 * Learns how a process that is not our child ends, by tracing it (PTRACE_SEIZE): the tracer is
 * told the wait status as the parent would be. A guest's init adopted by a restarted daemon is
 * watched this way, because the kernel's process-events connector reports SIGKILL for the init of
 * a PID namespace whether the guest ran {@code reboot} or {@code halt}; only the wait status
 * carries SIGHUP or SIGINT.
 *
 * <p>ptrace belongs to the thread that attached: one thread must call {@link #seize} and {@link
 * #awaitEnd}. The tracee is not killed when the tracer dies (no PTRACE_O_EXITKILL): a daemon killed
 * again leaves the guest running.
 */
public final class InitTracer {
  private static final int CLD_EXITED = 1;
  private static final int CLD_KILLED = 2;
  private static final int CLD_DUMPED = 3;
  private static final int CLD_TRAPPED = 4;
  private static final int ESRCH = 3;

  private InitTracer() {}

  /** Attaches to the process; false when it has already ended. */
  public static boolean seize(Pidfd init) throws HostException {
    Native.Result r =
        Native.ptrace(Native.PTRACE_SEIZE, init.pid(), 0, Native.PTRACE_O_TRACEEXEC);
    if (r.failed()) {
      if (r.errno() == ESRCH) {
        return false;
      }
      throw new HostException(
          "cannot trace process " + init.pid() + ": " + Native.errnoName(r.errno()));
    }
    return true;
  }

  /**
   * Lets the tracee run, passing on each signal it receives, until it ends; returns its end, or
   * empty when the wait status could not be read.
   */
  public static Optional<Pidfd.End> awaitEnd(Pidfd init) throws HostException {
    int[] cs = new int[2];
    while (true) {
      Native.Result r = Native.waitidAny(init.fd(), cs);
      if (r.failed()) {
        if (r.errno() == 4) {
          continue;
        }
        // ECHILD: no longer traced (someone else is tracing it, or it was reaped meanwhile).
        return Optional.empty();
      }
      switch (cs[0]) {
        case CLD_EXITED -> {
          return Optional.of(new Pidfd.End(false, cs[1]));
        }
        case CLD_KILLED, CLD_DUMPED -> {
          return Optional.of(new Pidfd.End(true, cs[1]));
        }
        case CLD_TRAPPED -> {
          // An event stop (exec) carries the event above the signal and passes nothing on.
          int signal = (cs[1] >> 8) != 0 ? 0 : cs[1] & 0x7f;
          if (signal == 19 || signal == 20 || signal == 21 || signal == 22) {
            signal = 0;
          }
          Native.Result c = Native.ptrace(Native.PTRACE_CONT, init.pid(), 0, signal);
          if (c.failed() && c.errno() == ESRCH && !init.exited()) {
            return Optional.empty();
          }
        }
        default -> {
          // Continued (CLD_CONTINUED): nothing to do.
        }
      }
    }
  }
}
