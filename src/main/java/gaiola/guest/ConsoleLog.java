package gaiola.guest;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A guest's log, {@code NAME.log}: what its init prints (runc hands the init our file, opened
 * with O_APPEND, so the init writes it directly) and its action scripts' output, and the rotated
 * {@code NAME.log.1} (newest) to {@code NAME.log.KEEP}.
 *
 * <p>Rotation copies and truncates: the writers keep their descriptor, and O_APPEND makes them
 * write at the new end. The copy goes to {@code NAME.log.rotating}, catches up with what was
 * appended meanwhile and truncates right after its last read: only what a writer appends in that
 * instant (microseconds) is lost. While that file exists a rotation runs, which readers wait for
 * ({@link LogCursor}).
 */
public final class ConsoleLog {
  /** A copy file older than this was left by a rotation that a crash interrupted. */
  static final Duration STALE = Duration.ofMinutes(1);

  private final HostLayout layout;
  private final GuestName name;
  private final Path file;

  public ConsoleLog(HostLayout layout, GuestName name) {
    this.layout = layout;
    this.name = name;
    this.file = layout.logDir().resolve(name.value() + ".log");
  }

  public Path file() {
    return file;
  }

  Path rotated(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  Path copy() {
    return file.resolveSibling(file.getFileName() + ".rotating");
  }

  /** The live file's size, 0 when there is none. */
  public long size() throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /**
   * Rotates the log if it is over the guest's limit ({@code apps/log/size}, {@code apps/log/keep});
   * the daemon calls it every second for every guest.
   */
  public boolean rotateIfOverLimit() throws GaiolaException {
    try {
      // Most logs are small: their limits are not even read.
      return size() > LogLimits.MIN_SIZE && rotate(LogLimits.read(layout, name));
    } catch (IOException e) {
      throw new HostException("cannot rotate " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Rotates when the live file is larger than the limit: its content becomes {@code NAME.log.1},
   * the older ones move up by one and the one past {@code keep} goes.
   *
   * @return whether it rotated; false too when another rotation runs now
   */
  public boolean rotate(LogLimits limits) throws IOException {
    if (size() <= limits.size()) {
      return false;
    }
    Path copy = copy();
    if (Files.exists(copy) && Files.getLastModifiedTime(copy).toInstant().isAfter(Instant.now().minus(STALE))) {
      return false;
    }
    // CREATE_NEW makes one rotation win a race; a copy a crash left is kept (it may repeat lines).
    StandardOpenOption create = Files.exists(copy) ? StandardOpenOption.APPEND : StandardOpenOption.CREATE_NEW;
    FileChannel to;
    try {
      to = FileChannel.open(copy, create, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    try (to;
        FileChannel from = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // The bulk, then what came meanwhile, until a read finds nothing new: truncate at once.
      long at = 0;
      for (long n; (n = from.transferTo(at, Long.MAX_VALUE, to)) > 0; ) {
        at += n;
      }
      from.truncate(0);
    }
    shift(limits.keep());
    Files.move(copy, rotated(1), StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  /** Makes room for a new {@code .1}: each rotated file moves up by one, those past keep go. */
  private void shift(int keep) throws IOException {
    for (int n = keep; Files.exists(rotated(n)); n++) {
      Files.delete(rotated(n));
    }
    for (int n = keep - 1; n >= 1; n--) {
      if (Files.exists(rotated(n))) {
        Files.move(rotated(n), rotated(n + 1), StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  /** Removes the live file, the rotated ones and a copy in progress (the guest is deleted). */
  public void removeAll() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(copy());
    for (int n = 1; Files.deleteIfExists(rotated(n)); n++) {
      // Up to the first gap: rotation never leaves one.
    }
  }

  /** A reader from the live file's start that follows it across rotations. */
  public LogCursor cursor() throws IOException {
    return new LogCursor(this, identity(rotated(1)));
  }

  /** Whether a rotation is under way (its copy exists). */
  boolean rotating() {
    return Files.exists(copy());
  }

  /** The file's identity (device and inode), which a rename keeps; null when it does not exist. */
  static Object identity(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** The index of the rotated file with this identity, or 0 when none has it. */
  int indexOf(Object identity) throws IOException {
    for (int n = 1; Files.exists(rotated(n)); n++) {
      if (Objects.equals(identity(rotated(n)), identity)) {
        return n;
      }
    }
    return 0;
  }

  /** How many rotated files there are, counted from {@code .1} to the first gap. */
  int rotatedCount() {
    int n = 0;
    while (Files.exists(rotated(n + 1))) {
      n++;
    }
    return n;
  }
}
