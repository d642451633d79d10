package gaiola.daemon;

import gaiola.error.InvalidInputException;
import gaiola.guest.GuestEnd;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * What the daemon does when a guest's init ends by itself other than by {@code reboot} (always
 * started again) or {@code halt} (always left stopped): {@code apps/init/restart}, one of {@code
 * no}, {@code on-failure[:N]} and {@code always}, as in Docker's restart policies.
 *
 * @param maxFailures for on-failure, how many consecutive failures are restarted; empty for no limit
 */
public record RestartPolicy(Kind kind, OptionalInt maxFailures) {
  public enum Kind {
    NO,
    ON_FAILURE,
    ALWAYS
  }

  public static final RestartPolicy NO = new RestartPolicy(Kind.NO, OptionalInt.empty());

  /** The longest pause between two restarts of a crashing guest. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  public static RestartPolicy parse(String text) throws InvalidInputException {
    String t = text.strip();
    switch (t) {
      case "", "no" -> {
        return NO;
      }
      case "always" -> {
        return new RestartPolicy(Kind.ALWAYS, OptionalInt.empty());
      }
      case "on-failure" -> {
        return new RestartPolicy(Kind.ON_FAILURE, OptionalInt.empty());
      }
      default -> {
        if (t.matches("on-failure:\\d{1,4}")) {
          int n = Integer.parseInt(t.substring("on-failure:".length()));
          if (n > 0) {
            return new RestartPolicy(Kind.ON_FAILURE, OptionalInt.of(n));
          }
        }
        throw new InvalidInputException(
            "apps/init/restart: '" + abbreviate(t) + "' is not a restart policy",
            "write no, always, on-failure or on-failure:N with N from 1 to 9999");
      }
    }
  }

  private static String abbreviate(String t) {
    String one = t.replaceAll("\\p{Cntrl}", "?");
    return one.length() > 40 ? one.substring(0, 40) + "..." : one;
  }

  /**
   * Whether the guest is started again after this end.
   *
   * @param failures consecutive failures before this one
   */
  public boolean restarts(GuestEnd end, int failures) {
    return switch (end.reason()) {
      case REBOOT -> true;
      case HALT -> false;
      case EXIT, KILLED -> {
        boolean failed = end.reason() == GuestEnd.Reason.KILLED || end.status().value() != 0;
        yield switch (kind) {
          case NO -> false;
          case ALWAYS -> true;
          case ON_FAILURE -> failed && (maxFailures.isEmpty() || failures < maxFailures.getAsInt());
        };
      }
    };
  }

  /** The pause before restart number {@code failures} (1, 2, ...) of a failing guest: 0.1 s doubling. */
  public static Duration backoff(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    long ms = 100L << Math.min(20, failures - 1);
    return ms > MAX_BACKOFF.toMillis() ? MAX_BACKOFF : Duration.ofMillis(ms);
  }

  /** The file form. */
  @Override
  public String toString() {
    return switch (kind) {
      case NO -> "no";
      case ALWAYS -> "always";
      case ON_FAILURE -> maxFailures.isPresent() ? "on-failure:" + maxFailures.getAsInt() : "on-failure";
    };
  }
}
