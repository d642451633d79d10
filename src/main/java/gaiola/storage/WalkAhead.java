package gaiola.storage;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A {@link TreeWalk} on a thread of its own, handing its entries over in order: whoever takes them
 * works on one entry while the next ones are read. The walk's directory descriptors stay open until
 * the walk is closed, after this.
 */
final class WalkAhead implements AutoCloseable {
  private static final TreeWalk.Found END = new TreeWalk.Found(null, -1, null);

  private final BlockingQueue<TreeWalk.Found> queue = new ArrayBlockingQueue<>(4096);
  private final Thread walker;
  private volatile IOException failure;
  private volatile boolean stopped;
  private boolean ended;

  /** Starts walking; {@code progress} learns the bytes of the tree once the walk is through. */
  WalkAhead(TreeWalk walk, Progress progress) {
    walker = Thread.ofPlatform().name("gaiola-tree-walk").daemon().start(() -> {
      try {
        walk.walk((e, parent, name) -> hand(new TreeWalk.Found(e, parent, name)));
        progress.total(walk.bytes());
      } catch (IOException e) {
        failure = e;
      } finally {
        if (!stopped) {
          try {
            queue.put(END);
          } catch (InterruptedException e) {
            // Stopped meanwhile: nobody waits for the end.
          }
        }
      }
    });
  }

  private void hand(TreeWalk.Found f) throws IOException {
    if (stopped) {
      throw new IOException("stopped");
    }
    try {
      queue.put(f);
    } catch (InterruptedException e) {
      throw new IOException("stopped");
    }
  }

  /** The next entry, or null when the walk is through; the walk's own failure is thrown here. */
  TreeWalk.Found next() throws IOException {
    if (ended) {
      return null;
    }
    TreeWalk.Found f;
    try {
      f = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (f == END) {
      ended = true;
      if (failure != null) {
        throw failure;
      }
      return null;
    }
    return f;
  }

  /** Stops the walk if it is still under way and waits for its thread. */
  @Override
  public void close() {
    stopped = true;
    queue.clear();
    walker.interrupt();
    boolean interrupted = false;
    while (walker.isAlive()) {
      try {
        walker.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
