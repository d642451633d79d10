package gaiola.host;

import gaiola.error.GaiolaException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Collects the undo of each step of an operation that changes the host; unless {@link #commit()}
 * ran, closing it undoes them newest first, so a failed operation leaves the host as if it had
 * never been attempted. An interrupted JVM (Ctrl-C, SIGTERM) undoes too: a shutdown hook waits for
 * the step under way, then rolls back.
 */
public final class Rollback implements AutoCloseable {
  /** One undo step; a failing step is reported and the others still run. */
  @FunctionalInterface
  public interface Undo {
    void run() throws Exception;
  }

  /** A step of the operation, run under the rollback's lock so an interrupt never cuts it in half. */
  @FunctionalInterface
  public interface Step {
    void run() throws IOException, GaiolaException;
  }

  private final Deque<Undo> undos = new ArrayDeque<>();
  private final Thread hook = new Thread(this::close, "gaiola-rollback");
  private boolean done;

  public Rollback() {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the caller will fail on its first step.
    }
  }

  /** Runs a step unless the operation was already interrupted and undone. */
  public synchronized void step(Step step) throws IOException, GaiolaException {
    if (done) {
      throw new IllegalStateException("operation interrupted");
    }
    step.run();
  }

  public synchronized void add(Undo undo) {
    undos.push(undo);
  }

  public synchronized void commit() {
    done = true;
    undos.clear();
    removeHook();
  }

  @Override
  public synchronized void close() {
    if (done) {
      return;
    }
    done = true;
    while (!undos.isEmpty()) {
      try {
        undos.pop().run();
      } catch (Exception e) {
        System.err.println("gaiola: while undoing a failed operation: " + e.getMessage());
      }
    }
    if (Thread.currentThread() != hook) {
      removeHook();
    }
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutting down: the hook runs or has run, and finds nothing left to do.
    }
  }
}
