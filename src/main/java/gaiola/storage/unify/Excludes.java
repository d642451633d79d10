package gaiola.storage.unify;

import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * util-vserver's exclude list for unification: one entry per line, the first entry that matches a
 * path decides. {@code +PATH} makes it a candidate, {@code PATH}, {@code -PATH} and {@code ~PATH}
 * exclude it (for vhashify the three are the same). Paths are absolute inside the guest; {@code *},
 * {@code ?} and {@code [...]} are shell globs, and as in util-vserver (fnmatch without
 * FNM_PATHNAME) {@code *} also matches '/'. An excluded directory is not entered.
 */
public final class Excludes {
  /** util-vserver's distrib/misc/vunify-exclude, the list used when a guest has none. */
  public static final List<String> DEFAULT =
      List.of(
          "/.rpmdb", "/dev", "~/etc/shadow", "~/etc/passwd", "~/etc/group", "+/etc/termcap",
          "+/etc/gconf", "+/etc/gconf/schemas", "/etc/gconf/*", "/etc/*", "/home", "/proc", "/mnt",
          "+/root/.ssh", "~/root/.ssh/id*", "-/root/.ssh/*", "+/root/.gnupg", "~/root/.gnupg/secring*",
          "-/root/.gnupg/*", "-/root/*", "/selinux", "/sys", "~/tmp/*", "/tmp", "~/var/tmp/*", "/var",
          "/*/ls-R");

  private record Entry(boolean candidate, String pattern, boolean glob) {}

  private final List<Entry> entries;

  private Excludes(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Nothing excluded. */
  public static Excludes none() {
    return new Excludes(List.of());
  }

  public static Excludes defaults() {
    try {
      return parse(DEFAULT, "the default exclude list");
    } catch (InvalidInputException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A guest's list as util-vserver finds it: {@code --exclude FILE}, else the guest's
   * {@code apps/vunify/exclude}, else the host's {@code .defaults/apps/vunify/exclude}, else the
   * default list.
   */
  public static Excludes forGuest(Path guestConfig, Path hostDefaults, java.util.Optional<Path> given)
      throws InvalidInputException {
    if (given.isPresent()) {
      return read(given.get());
    }
    for (Path p : List.of(guestConfig.resolve("apps/vunify/exclude"), hostDefaults.resolve("apps/vunify/exclude"))) {
      if (Files.exists(p)) {
        return read(p);
      }
    }
    return defaults();
  }

  /** Reads a list file; {@code #} starts a comment line, blank lines are ignored. */
  public static Excludes read(Path file) throws InvalidInputException {
    List<String> lines;
    try {
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException(
            "exclude list " + file + " does not exist or is not a file", "give an existing file");
      }
      lines = Files.readAllLines(file);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InvalidInputException("exclude list " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new InvalidInputException("exclude list " + file + " cannot be read: " + e.getMessage());
    }
    return parse(lines, file.toString());
  }

  static Excludes parse(List<String> lines, String source) throws InvalidInputException {
    List<Entry> entries = new ArrayList<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean candidate = false;
      char first = line.charAt(0);
      if (first == '+' || first == '-' || first == '~') {
        candidate = first == '+';
        line = line.substring(1).strip();
      }
      if (!line.startsWith("/")) {
        throw new InvalidInputException(
            source + ":" + n + ": '" + raw.strip() + "' is not an absolute path inside the guest",
            "write entries as /path, +/path, -/path or ~/path");
      }
      if (line.contains("\0") || unbalancedBracket(line)) {
        throw new InvalidInputException(source + ":" + n + ": '" + raw.strip() + "' is not a valid pattern");
      }
      if (line.length() > 1 && line.endsWith("/")) {
        line = line.substring(0, line.length() - 1);
      }
      boolean glob = line.indexOf('*') >= 0 || line.indexOf('?') >= 0 || line.indexOf('[') >= 0;
      entries.add(new Entry(candidate, line, glob));
    }
    return new Excludes(entries);
  }

  private static boolean unbalancedBracket(String s) {
    int open = s.indexOf('[');
    return open >= 0 && s.indexOf(']', open + 1) < 0;
  }

  /** True when the path ({@code /usr/bin/x}, relative to the guest's root) is not a candidate. */
  public boolean excludes(String path) {
    for (Entry e : entries) {
      if (e.glob() ? Glob.matches(e.pattern(), path) : e.pattern().equals(path)) {
        return !e.candidate();
      }
    }
    return false;
  }

  public int size() {
    return entries.size();
  }

  /** fnmatch(3) without flags: {@code *} and {@code ?} match any character, '/' included. */
  static final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String text) {
      return match(pattern, 0, text, 0);
    }

    /**
     * Two pointers with one back-tracking point (the last star): linear in practice and never
     * exponential, whatever the pattern.
     */
    private static boolean match(String p, int pi, String t, int ti) {
      int starP = -1;
      int starT = -1;
      while (ti < t.length()) {
        int next = pi < p.length() ? single(p, pi, t.charAt(ti)) : -1;
        if (pi < p.length() && p.charAt(pi) == '*') {
          starP = ++pi;
          starT = ti;
        } else if (next >= 0) {
          pi = next;
          ti++;
        } else if (starP >= 0) {
          pi = starP;
          ti = ++starT;
        } else {
          return false;
        }
      }
      while (pi < p.length() && p.charAt(pi) == '*') {
        pi++;
      }
      return pi == p.length();
    }

    /** Where the pattern continues when its element at {@code pi} matches {@code c}, else -1. */
    private static int single(String p, int pi, char c) {
      char e = p.charAt(pi);
      if (e == '*') {
        return -1;
      }
      if (e == '?') {
        return pi + 1;
      }
      if (e == '[') {
        int end = p.indexOf(']', pi + 2);
        if (end < 0) {
          return c == '[' ? pi + 1 : -1;
        }
        String set = p.substring(pi + 1, end);
        boolean negate = !set.isEmpty() && (set.charAt(0) == '!' || set.charAt(0) == '^');
        if (negate) {
          set = set.substring(1);
        }
        return inSet(set, c) != negate ? end + 1 : -1;
      }
      if (e == '\\' && pi + 1 < p.length()) {
        return p.charAt(pi + 1) == c ? pi + 2 : -1;
      }
      return e == c ? pi + 1 : -1;
    }

    private static boolean inSet(String set, char c) {
      for (int i = 0; i < set.length(); i++) {
        if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
          if (c >= set.charAt(i) && c <= set.charAt(i + 2)) {
            return true;
          }
          i += 2;
        } else if (set.charAt(i) == c) {
          return true;
        }
      }
      return false;
    }
  }
}
