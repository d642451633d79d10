package gaiola.cli;

import gaiola.storage.Progress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meter of a long tree operation: on a terminal a bar rewritten in place at most ten times a
 * second (percentage when the amount is known, bytes, files, rate); at the end, on a terminal or
 * not, one summary line with the amount, the time and the rate.
 */
final class ProgressBar implements Progress {
  private final String what;
  private final PrintWriter err;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong files = new AtomicLong();
  private volatile long total;
  private volatile long position = -1;
  private long lastDraw;
  private boolean drawn;

  ProgressBar(String what, PrintWriter err, boolean terminal) {
    this.what = what;
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void total(long bytes) {
    total = bytes;
  }

  @Override
  public void position(long bytes) {
    position = bytes;
    maybeDraw();
  }

  @Override
  public void advance(long b, long f) {
    bytes.addAndGet(b);
    files.addAndGet(f);
    maybeDraw();
  }

  private void maybeDraw() {
    if (!terminal) {
      return;
    }
    long now = System.nanoTime();
    synchronized (this) {
      if (now - lastDraw < 100_000_000L) {
        return;
      }
      lastDraw = now;
      err.print("\r" + line() + "\033[K");
      err.flush();
      drawn = true;
    }
  }

  /** The bar: what, [####----] percent, bytes, files, rate; cut to 79 columns. */
  String line() {
    long done = position >= 0 ? position : bytes.get();
    double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    StringBuilder b = new StringBuilder(what).append(' ');
    if (total > 0) {
      int width = 20;
      int filled = (int) Math.min(width, width * done / total);
      b.append('[').append("#".repeat(filled)).append("-".repeat(width - filled)).append("] ");
      b.append(String.format(Locale.ROOT, "%3d%% ", Math.min(100, 100 * done / total)));
    }
    b.append(bytes(bytes.get())).append(", ").append(files.get()).append(" files, ")
        .append(bytes((long) (bytes.get() / seconds))).append("/s");
    String s = b.toString();
    return s.length() > 79 ? s.substring(0, 79) : s;
  }

  /** The closing line: amount, time, rate. */
  String summary() {
    double seconds = (System.nanoTime() - start) / 1e9;
    return String.format(Locale.ROOT, "%s: %s in %d files, %.2f s (%s/s)", what, bytes(bytes.get()), files.get(),
        seconds, bytes((long) (bytes.get() / Math.max(1e-3, seconds))));
  }

  @Override
  public synchronized void done() {
    clear();
    err.println("gaiola: " + summary());
    err.flush();
  }

  @Override
  public synchronized void clear() {
    if (drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }

  /** A byte count for people: 512 B, 80.1 MB. */
  static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
