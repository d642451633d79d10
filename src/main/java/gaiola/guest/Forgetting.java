package gaiola.guest;

import gaiola.config.GuestName;
import gaiola.error.GaiolaException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Where runc's delete of a stopped guest's dead container runs (tens of ms: a Go program's start).
 * In-process, at once. In the daemon, on its executor after the stop's reply: the task keeps the
 * guest's lock until the delete is done, so the next operation on that guest waits for it but the
 * reply does not. A daemon killed meanwhile leaves a stopped container, which the next start or
 * stop removes.
 */
final class Forgetting {
  static final Forgetting AT_ONCE = new Forgetting(null, null);

  private final Executor executor;
  private final Consumer<String> log;

  Forgetting(Executor executor, Consumer<String> log) {
    this.executor = executor;
    this.log = log;
  }

  /** Deletes the container; true when a task took {@code lock} over (it closes it when done). */
  boolean forget(Lifecycle lifecycle, GuestName name, GuestLock lock) throws GaiolaException {
    if (executor != null) {
      try {
        executor.execute(() -> {
          try {
            lifecycle.forget(name);
          } catch (GaiolaException e) {
            log.accept(name + ": " + e.oneLine() + " (the next start removes it)");
          } finally {
            lock.close();
          }
        });
        return true;
      } catch (RejectedExecutionException e) {
        // The daemon is closing: here and now.
      }
    }
    lifecycle.forget(name);
    return false;
  }
}
