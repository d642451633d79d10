package gaiola.host;

import gaiola.error.HostException;
import java.time.Duration;
import java.util.Optional;

/**
 * A process descriptor (pidfd): a handle that keeps naming the same process even if its PID is
 * reused, that can be signalled, and that becomes readable when the process ends — for any process,
 * not only our children, so waiting needs no polling of /proc.
 */
public final class Pidfd implements AutoCloseable {
  private static final int ESRCH = 3;
  private final long pid;
  private int fd;

  private Pidfd(long pid, int fd) {
    this.pid = pid;
    this.fd = fd;
  }

  /** Opens a descriptor for a live process; empty when the process no longer exists. */
  public static Optional<Pidfd> open(long pid) throws HostException {
    Native.Result r = Native.syscall3(Native.SYS_PIDFD_OPEN, pid, 0, 0);
    if (r.failed()) {
      if (r.errno() == ESRCH) {
        return Optional.empty();
      }
      throw new HostException("pidfd_open(" + pid + "): " + Native.errnoName(r.errno()));
    }
    return Optional.of(new Pidfd(pid, (int) r.value()));
  }

  public long pid() {
    return pid;
  }

  /** Sends a signal; returns false when the process has already ended. */
  public boolean signal(int signal) throws HostException {
    Native.Result r = Native.syscall5(Native.SYS_PIDFD_SEND_SIGNAL, fd, signal, 0, 0);
    if (r.failed()) {
      if (r.errno() == ESRCH) {
        return false;
      }
      throw new HostException(
          "cannot send signal " + signal + " to process " + pid + ": " + Native.errnoName(r.errno()));
    }
    return true;
  }

  /** Waits until the process has ended or the time is up; true when it ended. */
  public boolean awaitExit(Duration atMost) throws HostException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      Native.Result r = Native.pollIn(fd, (int) Math.min(Integer.MAX_VALUE, left));
      if (r.value() > 0) {
        return true;
      }
      if (r.failed() && r.errno() != 4) {
        throw new HostException("poll on pidfd of " + pid + ": " + Native.errnoName(r.errno()));
      }
      if (r.value() == 0 && System.nanoTime() >= deadline) {
        return false;
      }
    }
  }

  /** How a process ended: normally with an exit code, or killed by a signal. */
  public record End(boolean killed, int value) {
    /** "exit 3" or "signal 1 (SIGHUP)". */
    public String describe() {
      return killed ? "signal " + value + Signals.suffix(value) : "exit " + value;
    }

    /** As a shell reports it: the exit code, or 128 + the signal. */
    public int shellStatus() {
      return killed ? 128 + value : value;
    }
  }

  /**
   * Reaps the process, which must be our child (or, as a subreaper, our orphaned descendant), and
   * says how it ended; empty when it is not our child, so its end cannot be known.
   */
  public Optional<End> reap() throws HostException {
    int[] cs = new int[2];
    Native.Result r = Native.waitid(fd, cs);
    if (r.failed()) {
      if (r.errno() == 10) {
        return Optional.empty();
      }
      throw new HostException("waitid on process " + pid + ": " + Native.errnoName(r.errno()));
    }
    return Optional.of(new End(cs[0] != 1, cs[1]));
  }

  /** True when the process has ended. */
  public boolean exited() throws HostException {
    return awaitExit(Duration.ZERO);
  }

  /**
   * Waits until at least one of the processes has ended or the time is up; returns those that
   * ended (possibly none).
   */
  public static java.util.List<Pidfd> awaitAny(java.util.List<Pidfd> fds, Duration atMost)
      throws HostException {
    int[] raw = new int[fds.size()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = fds.get(i).fd;
    }
    boolean[] ready = new boolean[raw.length];
    Native.Result r = Native.pollIn(raw, ready, (int) Math.min(Integer.MAX_VALUE, atMost.toMillis()));
    if (r.failed() && r.errno() != 4) {
      throw new HostException("poll on pidfds: " + Native.errnoName(r.errno()));
    }
    java.util.List<Pidfd> ended = new java.util.ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      if (ready[i]) {
        ended.add(fds.get(i));
      }
    }
    return ended;
  }

  /** The raw descriptor, for the tracer in this package. */
  int fd() {
    return fd;
  }

  @Override
  public void close() {
    if (fd >= 0) {
      Native.close(fd);
      fd = -1;
    }
  }
}
