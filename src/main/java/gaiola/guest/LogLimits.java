package gaiola.guest;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * When a guest's log is rotated: {@code apps/log/size} (bytes, or a number with K, M or G; default
 * 1M) and how many rotated files stay, {@code apps/log/keep} (default 3: NAME.log.1 to .3).
 */
public record LogLimits(long size, int keep) {
  public static final long MIN_SIZE = 4096;
  static final long MAX_SIZE = 1L << 40;
  static final int MAX_KEEP = 99;
  public static final LogLimits DEFAULT = new LogLimits(1 << 20, 3);

  public LogLimits {
    if (size < MIN_SIZE || size > MAX_SIZE || keep < 1 || keep > MAX_KEEP) {
      throw new IllegalArgumentException("log limits out of range: " + size + " bytes, keep " + keep);
    }
  }

  /** The guest's limits; a missing file means its default, a bad one is an error naming it. */
  public static LogLimits read(HostLayout layout, GuestName name) throws InvalidInputException, HostException {
    Path dir = layout.configDir(name).resolve("apps/log");
    String label = name + "/apps/log/";
    Optional<String> size = text(dir.resolve("size"));
    Optional<String> keep = text(dir.resolve("keep"));
    return new LogLimits(
        size.isPresent() ? parseSize(label + "size", size.get()) : DEFAULT.size(),
        keep.isPresent() ? parseKeep(label + "keep", keep.get()) : DEFAULT.keep());
  }

  private static Optional<String> text(Path file) throws HostException {
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    } catch (IOException e) {
      throw new HostException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static long parseSize(String label, String text) throws InvalidInputException {
    String t = text.strip().toUpperCase(Locale.ROOT);
    int shift = t.endsWith("K") ? 10 : t.endsWith("M") ? 20 : t.endsWith("G") ? 30 : 0;
    String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
    long n = digits.matches("\\d{1,13}") ? Long.parseLong(digits) : -1;
    // Compared before the shift, which could overflow.
    if (n < 0 || n > MAX_SIZE >> shift || n << shift < MIN_SIZE) {
      throw new InvalidInputException(
          label + ": '" + shown(text) + "' is not a log size",
          "write bytes or a number with K, M or G, from 4K to 1024G (e.g. 1M)");
    }
    return n << shift;
  }

  static int parseKeep(String label, String text) throws InvalidInputException {
    String t = text.strip();
    if (!t.matches("\\d{1,2}") || Integer.parseInt(t) < 1) {
      throw new InvalidInputException(
          label + ": '" + shown(text) + "' is not a number of rotated logs to keep",
          "write a number from 1 to " + MAX_KEEP);
    }
    return Integer.parseInt(t);
  }

  private static String shown(String text) {
    String t = text.replaceAll("\\p{Cntrl}", "?");
    return t.length() > 40 ? t.substring(0, 40) + "..." : t;
  }
}
