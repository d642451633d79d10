package gaiola.guest;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.FileCalls;
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
 * <p>The writers keep their descriptor, so rotation copies the file's head to {@code
 * NAME.log.rotating} and then cuts that head off the live file in place (fallocate's collapse,
 * which appends wait for): the rotated files and the live one together hold every byte once, in
 * order, though a line may begin in {@code .1} and end in the live file (the cut falls on a block
 * boundary). Where the file system cannot collapse (tmpfs, btrfs) the copy catches up with what was
 * appended meanwhile and truncates the file to nothing right after its last read: what a writer
 * appends in that instant (microseconds) is lost. While the copy file exists a rotation runs, which
 * readers wait for ({@link LogCursor}).
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
   * Rotates when the live file is larger than the limit: its content (all but the last, partial
   * block where the file is cut in place) becomes {@code NAME.log.1}, the older ones move up by one
   * and the one past {@code keep} goes.
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
      long cut = head(from.size());
      long at = 0;
      while (at < cut) {
        at += from.transferTo(at, cut - at, to);
      }
      if (cut == 0 || !collapseHead(cut)) {
        // The bulk, then what came meanwhile, until a read finds nothing new: truncate at once.
        for (long n; (n = from.transferTo(at, Long.MAX_VALUE, to)) > 0; ) {
          at += n;
        }
        from.truncate(0);
      }
    }
    shift(limits.keep());
    Files.move(copy, rotated(1), StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  /** The longest head a collapse may cut: whole blocks, short of the end (the call refuses that). */
  private long head(long size) throws IOException {
    long block = Files.getFileStore(file).getBlockSize();
    return block <= 0 || size == 0 ? 0 : (size - 1) / block * block;
  }

  /** Cuts the first {@code length} bytes off the live file; false where its file system cannot. */
  private boolean collapseHead(long length) throws IOException {
    byte[] name = FileCalls.bytes(file.toString());
    int fd = FileCalls.openat(FileCalls.AT_FDCWD, name, FileCalls.O_WRONLY | FileCalls.O_NOFOLLOW, 0);
    try {
      return FileCalls.collapseHead(fd, length, name);
    } finally {
      FileCalls.close(fd);
    }
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
