package gaiola.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a guest's log from the start of its live file and then what is appended, across
 * rotations ({@code vserver NAME log -f}): the lines that a rotation moved to {@code NAME.log.1}
 * before they were read come from there, none twice.
 *
 * <p>Without a lock shared with the rotating daemon, each read is checked as a sequence lock:
 * no rotation may run and {@code NAME.log.1} must be the same file before and after it, else
 * nothing is passed on and the next call tries again.
 */
public final class LogCursor {
  /** At most this much of the live file per call, held in memory until the read is checked. */
  public static final int MAX_READ = 4 << 20;

  private final ConsoleLog log;
  private Object newest;
  private long offset;

  LogCursor(ConsoleLog log, Object newest) {
    this.log = log;
    this.newest = newest;
  }

  /** What a call did: bytes passed on, or -1 when a rotation ran and the call must be repeated. */
  public long copyNew(OutputStream out) throws IOException {
    if (log.rotating()) {
      return -1;
    }
    Object now = ConsoleLog.identity(log.rotated(1));
    List<FileChannel> rotated = new ArrayList<>();
    List<Long> froms = new ArrayList<>();
    long liveFrom = offset;
    try {
      if (!Objects.equals(now, newest)) {
        // The file we read was rotated: it is the oldest of those made since, and the rest follows.
        int found = newest == null ? 0 : log.indexOf(newest);
        int since = found > 0 ? found - 1 : log.rotatedCount();
        // What we read beyond a rotated file's end was left in the next file (a cut in place keeps
        // the last partial block), so it is skipped there.
        long skip = found > 0 || newest == null ? offset : 0;
        for (int n = since; n >= 1; n--) {
          FileChannel c = open(log.rotated(n));
          rotated.add(c);
          froms.add(skip);
          skip = c == null ? 0 : Math.max(0, skip - c.size());
        }
        liveFrom = skip;
      }
      Live fresh = readLive(liveFrom);
      if (log.rotating() || !Objects.equals(ConsoleLog.identity(log.rotated(1)), now) || rotated.contains(null)) {
        return -1;
      }
      long passed = 0;
      for (int i = 0; i < rotated.size(); i++) {
        passed += copyFrom(rotated.get(i), froms.get(i), out);
      }
      out.write(fresh.bytes());
      out.flush();
      newest = now;
      offset = fresh.from() + fresh.bytes().length;
      return passed + fresh.bytes().length;
    } finally {
      for (FileChannel c : rotated) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  /** Bytes of the live file and where they start. */
  private record Live(long from, byte[] bytes) {}

  /** New bytes of the live file; a file shorter than where we were (cut by hand) starts again. */
  private Live readLive(long from) throws IOException {
    try (FileChannel live = FileChannel.open(log.file(), StandardOpenOption.READ)) {
      long size = live.size();
      long start = size < from ? 0 : from;
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(size - start, MAX_READ));
      while (b.hasRemaining() && live.read(b, start + b.position()) > 0) {
        // Reads until full or at the end.
      }
      return new Live(start, java.util.Arrays.copyOf(b.array(), b.position()));
    } catch (NoSuchFileException e) {
      return new Live(0, new byte[0]);
    }
  }

  private static FileChannel open(Path p) throws IOException {
    try {
      return FileChannel.open(p, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      // Deleted by a rotation since we counted: the check after the read sends us round again.
      return null;
    }
  }

  private static long copyFrom(FileChannel c, long from, OutputStream out) throws IOException {
    long size = c.size();
    if (from >= size) {
      return 0;
    }
    c.position(from);
    // The channel's own stream, without closing the channel with it.
    var in = Channels.newInputStream(c);
    byte[] buf = new byte[65536];
    long n = 0;
    for (int r; n < size - from && (r = in.read(buf, 0, (int) Math.min(buf.length, size - from - n))) > 0; ) {
      out.write(buf, 0, r);
      n += r;
    }
    return n;
  }
}
