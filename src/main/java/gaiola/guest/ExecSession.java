package gaiola.guest;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.HostException;
import gaiola.host.Pidfd;
import gaiola.host.Signals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A command running inside a guest with pipes to its stdin, stdout and stderr (the daemon's
 * streamed exec). Its owner feeds and drains the pipes and waits for it; {@link #kill} ends the
 * command inside, which killing runc alone would leave running.
 */
public final class ExecSession implements AutoCloseable {
  /** How long runc may take to report the killed command before it is killed itself. */
  static final Duration KILL_WAIT = Duration.ofSeconds(5);
  /** How long runc may take to write the command's PID before we take it that none started. */
  static final Duration PID_WAIT = Duration.ofSeconds(1);

  private final Process runc;
  private final Path pidFile;

  ExecSession(Process runc, Path pidFile) {
    this.runc = runc;
    this.pidFile = pidFile;
  }

  /** Where runc writes the PID of one exec's command: a name of its own per session. */
  static Path pidFile(HostLayout layout, GuestName name) throws HostException {
    Path dir = layout.runDir().resolve("exec");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new HostException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    return dir.resolve(name.value() + "." + UUID.randomUUID() + ".pid");
  }

  /** The command's stdin: closing it closes the command's. */
  public OutputStream stdin() {
    return runc.getOutputStream();
  }

  public InputStream stdout() {
    return runc.getInputStream();
  }

  public InputStream stderr() {
    return runc.getErrorStream();
  }

  /**
   * Waits up to {@code atMost} for the command to end.
   *
   * @return its exit status as {@code vserver NAME exec} returns it (128 + N for signal N), or
   *     empty when it still runs
   */
  public OptionalInt await(Duration atMost) throws InterruptedException {
    return runc.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(runc.exitValue()) : OptionalInt.empty();
  }

  /** Ends the command inside (SIGKILL through a pidfd) and waits until runc has reported it. */
  public void kill() throws HostException {
    long start = System.nanoTime();
    try {
      while (runc.isAlive() && System.nanoTime() - start < KILL_WAIT.toNanos()) {
        OptionalLong inside = commandPid();
        if (inside.isPresent()) {
          signalIfOurs(inside.getAsLong());
        } else if (System.nanoTime() - start > PID_WAIT.toNanos()) {
          // runc wrote no PID: the command never started, and runc's end stops its set-up.
          runc.destroyForcibly();
        }
        runc.waitFor(20, TimeUnit.MILLISECONDS);
      }
      if (runc.isAlive()) {
        runc.destroyForcibly();
        runc.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runc.destroyForcibly();
    }
  }

  private OptionalLong commandPid() {
    try {
      String text = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
      return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      // Being written: the next round reads it.
      return OptionalLong.empty();
    }
  }

  /**
   * Signals the command through a pidfd, and only while it is runc's child: a PID that runc has
   * reaped may already name somebody else's process.
   */
  private void signalIfOurs(long pid) throws HostException {
    Optional<Pidfd> fd = Pidfd.open(pid);
    if (fd.isEmpty()) {
      return;
    }
    try (Pidfd p = fd.get()) {
      boolean ours = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L) == runc.pid();
      if (ours) {
        p.signal(Signals.SIGKILL);
      }
    }
  }

  /** Kills the command if it still runs, closes the pipes and removes the PID file. */
  @Override
  public void close() throws HostException {
    try {
      if (runc.isAlive()) {
        kill();
      }
    } finally {
      closeQuietly(runc.getOutputStream());
      closeQuietly(runc.getInputStream());
      closeQuietly(runc.getErrorStream());
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        // A stale PID file in /run harms nobody and goes at the next boot.
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Closing a pipe of an ended process.
    }
  }
}
