package gaiola.guest;

import gaiola.host.Pidfd;
import gaiola.host.Signals;

/**
 * How a guest ended, read from its init's wait status: a guest's {@code reboot} ends its init with
 * SIGHUP, {@code halt} and {@code poweroff} with SIGINT; anything else is a crash or a stop.
 */
public record GuestEnd(Reason reason, Pidfd.End status) {
  public enum Reason {
    REBOOT,
    HALT,
    EXIT,
    KILLED
  }

  public static GuestEnd of(Pidfd.End end) {
    Reason reason;
    if (end.killed() && end.value() == Signals.SIGHUP) {
      reason = Reason.REBOOT;
    } else if (end.killed() && end.value() == Signals.SIGINT) {
      reason = Reason.HALT;
    } else if (end.killed()) {
      reason = Reason.KILLED;
    } else {
      reason = Reason.EXIT;
    }
    return new GuestEnd(reason, end);
  }

  /** "reboot (init ended by signal 1 (SIGHUP))". */
  public String describe() {
    return reason.name().toLowerCase(java.util.Locale.ROOT) + " (init ended by " + status.describe() + ")";
  }
}
