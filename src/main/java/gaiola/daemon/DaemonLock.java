package gaiola.daemon;

import gaiola.config.HostLayout;
import gaiola.error.ConflictException;
import gaiola.error.HostException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one-daemon-per-host lock, {@code /run/gaiola/gaiolad.lock}, holding the daemon's PID. The
 * kernel drops it when the daemon dies however it dies, so a socket found while we hold the lock is
 * stale and may be replaced.
 */
final class DaemonLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DaemonLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static Path file(HostLayout layout) {
    return layout.runDir().resolve("gaiolad.lock");
  }

  static DaemonLock acquire(HostLayout layout) throws HostException, ConflictException {
    Path file = file(layout);
    try {
      Files.createDirectories(file.getParent());
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        String pid = Files.readString(file).strip();
        ch.close();
        throw new ConflictException(
            "another gaiolad already runs for " + layout.root() + (pid.isEmpty() ? "" : " (pid " + Api.printable(pid) + ")"),
            "use it, or stop it first");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new DaemonLock(ch, l);
    } catch (IOException e) {
      throw new HostException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The lock goes with the channel in any case.
    }
  }

  /** True when a daemon holds the lock for this layout (it may still be starting up). */
  static boolean held(HostLayout layout) {
    Path file = file(layout);
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l != null) {
        l.release();
        return false;
      }
      return true;
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      return false;
    }
  }
}
