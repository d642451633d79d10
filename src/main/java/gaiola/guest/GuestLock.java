package gaiola.guest;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.HostException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A per-guest lock (flock on {@code /run/gaiola/locks/NAME}) that serialises the operations that
 * change a guest, across processes: a second start waits for the first to finish.
 */
final class GuestLock implements AutoCloseable {
  /**
   * The file lock is a POSIX lock, held by the whole process: threads of one process (the daemon)
   * are serialised by this semaphore per guest before they take it.
   */
  private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.Semaphore>
      IN_PROCESS = new java.util.concurrent.ConcurrentHashMap<>();

  private final FileChannel channel;
  private final FileLock lock;
  private final java.util.concurrent.Semaphore turn;

  private GuestLock(FileChannel channel, FileLock lock, java.util.concurrent.Semaphore turn) {
    this.channel = channel;
    this.lock = lock;
    this.turn = turn;
  }

  static GuestLock acquire(HostLayout layout, GuestName name) throws HostException {
    Path file = layout.runDir().resolve("locks").resolve(name.value());
    java.util.concurrent.Semaphore turn =
        IN_PROCESS.computeIfAbsent(file, f -> new java.util.concurrent.Semaphore(1));
    turn.acquireUninterruptibly();
    try {
      Files.createDirectories(file.getParent());
      FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        return new GuestLock(ch, ch.lock(), turn);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      turn.release();
      throw new HostException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Closing the channel drops the lock in any case.
    } finally {
      turn.release();
    }
  }
}
