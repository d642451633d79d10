package gaiola.daemon;

import gaiola.config.GuestName;
import gaiola.error.GaiolaException;
import gaiola.guest.Guests;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Rotates the guests' logs that grew over their limits, once a second (the inits write their logs
 * themselves, so the daemon can only look). A bad {@code apps/log} setting is logged once, not
 * every second, and that guest's log is left as it is.
 */
final class LogRotation implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(1);

  private final Supplier<Guests> engine;
  private final Consumer<String> log;
  private final Map<GuestName, String> complaints = new HashMap<>();
  private final AtomicLong rotations = new AtomicLong();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("gaiolad-logs").factory());

  LogRotation(Supplier<Guests> engine, Consumer<String> log) {
    this.engine = engine;
    this.log = log;
  }

  LogRotation start() {
    timer.scheduleWithFixedDelay(this::runOnce, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One look at every guest's log. */
  void runOnce() {
    Guests guests = engine.get();
    List<GuestName> names;
    try {
      names = guests.list();
    } catch (GaiolaException e) {
      log.accept("log rotation: " + e.oneLine());
      return;
    }
    for (GuestName n : names) {
      try {
        if (guests.log(n).rotateIfOverLimit()) {
          rotations.incrementAndGet();
        }
        complaints.remove(n);
      } catch (GaiolaException e) {
        if (!e.oneLine().equals(complaints.put(n, e.oneLine()))) {
          log.accept(n + ": " + e.oneLine() + "; its log is not rotated");
        }
      } catch (RuntimeException e) {
        // A failure must not end the timer, which would stop every later rotation.
        log.accept(n + ": log rotation failed: " + e);
      }
    }
  }

  long rotations() {
    return rotations.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
