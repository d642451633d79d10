package gaiola.config;

import gaiola.error.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The guest's {@code fstab}: {@code SOURCE TARGET TYPE OPTIONS [DUMP [PASS]]} per line, fields
 * separated by blanks, {@code \040}-style octal escapes, {@code #} comments. Only the pseudo
 * filesystems a guest needs and bind mounts are allowed; targets are paths inside the guest. DUMP
 * and PASS are checked and then dropped (nothing in a guest is dumped or checked).
 */
public final class Fstab {
  private static final Set<String> TYPES =
      Set.of("proc", "sysfs", "tmpfs", "devpts", "mqueue", "bind");
  private static final String TYPES_HINT = "use proc, sysfs, tmpfs, devpts, mqueue or bind";
  private static final Set<String> FLAGS =
      Set.of(
          ("ro rw bind rbind nosuid nodev noexec suid dev exec relatime norelatime noatime"
                  + " nodiratime strictatime private rprivate slave rslave shared rshared")
              .split(" "));
  // Options with a value, and the flag newinstance, only mean something to these filesystems.
  private static final Set<String> TUNABLE_TYPES = Set.of("tmpfs", "devpts", "mqueue");
  private static final Map<String, Pattern> VALUE_OPTIONS =
      Map.of(
          "size", Pattern.compile("[0-9]{1,19}[kKmMgGtTpPeE%]?"),
          "nr_inodes", Pattern.compile("[0-9]{1,19}[kKmMgG]?"),
          "mode", Pattern.compile("[0-7]{1,4}"),
          "ptmxmode", Pattern.compile("[0-7]{1,4}"),
          "uid", Pattern.compile("[0-9]{1,10}"),
          "gid", Pattern.compile("[0-9]{1,10}"));

  /** The kernel's limit on symbolic links followed in one lookup. */
  private static final int MAX_LINKS = 40;

  private Fstab() {}

  /**
   * Parses fstab text. {@code label} names the file in messages, e.g. {@code vs01/fstab}; every
   * error names it with the line number.
   */
  public static List<FstabEntry> parse(String text, String label) throws InvalidInputException {
    List<FstabEntry> entries = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      entries.add(parseLine(line, label + ":" + (i + 1)));
    }
    return List.copyOf(entries);
  }

  private static FstabEntry parseLine(String line, String at) throws InvalidInputException {
    String[] f = line.split("[ \t]+");
    if (f.length < 4 || f.length > 6) {
      throw new InvalidInputException(
          at + ": " + SettingFiles.quote(line) + " has " + f.length + " fields, not 4 to 6",
          "write SOURCE TARGET TYPE OPTIONS [DUMP [PASS]], e.g. 'none /tmp tmpfs size=16m,mode=1777"
              + " 0 0'");
    }
    for (int i = 4; i < f.length; i++) {
      if (!f[i].matches("[0-9]{1,9}")) {
        throw new InvalidInputException(
            at
                + ": "
                + (i == 4 ? "dump" : "pass")
                + " field "
                + SettingFiles.quote(f[i])
                + " is not a number",
            "write 0 0 or leave the last two fields out");
      }
    }
    String source = unescape(f[0], at);
    String target = unescape(f[1], at);
    String type = unescape(f[2], at);
    List<String> options = new ArrayList<>();
    for (String o : unescape(f[3], at).split(",", -1)) {
      if (!o.equals("defaults")) {
        options.add(o);
      }
    }
    boolean bind = type.equals("bind") || options.contains("bind") || options.contains("rbind");
    if (!bind && !TYPES.contains(type)) {
      throw new InvalidInputException(
          at + ": mount type " + SettingFiles.quote(type) + " is not supported",
          type.equals("none")
              ? "type none needs option bind or rbind; or " + TYPES_HINT
              : TYPES_HINT);
    }
    checkTarget(target, at);
    if (bind && !source.startsWith("/")) {
      throw new InvalidInputException(
          at + ": bind source " + SettingFiles.quote(source) + " is not an absolute path",
          "give the host directory to bind, starting with '/'");
    }
    for (String o : options) {
      checkOption(o, bind ? "a bind mount" : type, !bind && TUNABLE_TYPES.contains(type), at);
    }
    return new FstabEntry(source, target, type, options);
  }

  private static void checkTarget(String target, String at) throws InvalidInputException {
    if (!target.startsWith("/")) {
      throw new InvalidInputException(
          at + ": target " + SettingFiles.quote(target) + " is not an absolute path",
          "write the path as the guest sees it, starting with '/'");
    }
    boolean belowRoot = false;
    for (String c : target.split("/")) {
      if (c.equals("..")) {
        throw new InvalidInputException(
            at + ": target " + SettingFiles.quote(target) + " has a '..' component",
            "write the path inside the guest without '..'");
      }
      belowRoot |= !c.isEmpty() && !c.equals(".");
    }
    if (!belowRoot) {
      throw new InvalidInputException(
          at + ": target " + SettingFiles.quote(target) + " would cover the guest's root",
          "mount below '/', e.g. /mnt/data");
    }
  }

  private static void checkOption(String option, String what, boolean tunable, String at)
      throws InvalidInputException {
    if (FLAGS.contains(option)) {
      return;
    }
    int eq = option.indexOf('=');
    String key = eq < 0 ? option : option.substring(0, eq);
    boolean known = eq < 0 ? option.equals("newinstance") : VALUE_OPTIONS.containsKey(key);
    if (!known) {
      throw new InvalidInputException(
          at + ": option " + SettingFiles.quote(option) + " is not supported",
          "use ro, rw, nosuid, nodev, noexec, bind, rbind, the atime and propagation options, or"
              + " size=, nr_inodes=, mode=, uid=, gid=, ptmxmode=, newinstance for tmpfs, devpts,"
              + " mqueue");
    }
    if (!tunable) {
      throw new InvalidInputException(
          at + ": option " + SettingFiles.quote(option) + " does not apply to " + what,
          "use it only with tmpfs, devpts or mqueue");
    }
    if (eq >= 0 && !VALUE_OPTIONS.get(key).matcher(option.substring(eq + 1)).matches()) {
      throw new InvalidInputException(
          at + ": option " + SettingFiles.quote(option) + " has a malformed value",
          "size=16m, nr_inodes=1k, mode=1777, uid=0, gid=5, ptmxmode=666 are examples of valid"
              + " values");
    }
  }

  /** Decodes {@code \NNN} octal escapes; the bytes they stand for are read as UTF-8. */
  private static String unescape(String field, String at) throws InvalidInputException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < field.length(); i++) {
      if (isOctalEscape(field, i)) {
        bytes.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        int cp = field.codePointAt(i);
        bytes.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp) - 1;
      }
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(
          at + ": field " + SettingFiles.quote(field) + " escapes bytes that are not UTF-8",
          "escape only blanks and backslashes, e.g. \\040 for a space");
    }
    if (text.indexOf('\0') >= 0 || text.indexOf('\n') >= 0) {
      throw new InvalidInputException(
          at + ": field " + SettingFiles.quote(field) + " escapes a NUL or newline",
          "a path cannot contain a NUL or newline");
    }
    return text;
  }

  private static boolean isOctalEscape(String s, int i) {
    if (s.charAt(i) != '\\' || i + 3 >= s.length()) {
      return false;
    }
    for (int k = 1; k <= 3; k++) {
      char d = s.charAt(i + k);
      if (d < '0' || d > '7') {
        return false;
      }
    }
    // At most \377: one byte.
    return s.charAt(i + 1) <= '3';
  }

  /** The fstab text of {@code entries}, one tab-separated line each, ending in a newline. */
  public static String format(List<FstabEntry> entries) {
    StringBuilder b = new StringBuilder();
    for (FstabEntry e : entries) {
      b.append(line(e)).append('\n');
    }
    return b.toString();
  }

  /** One entry as an fstab line, blanks, backslashes and '#' escaped so it parses back. */
  static String line(FstabEntry e) {
    String options = e.options().isEmpty() ? "defaults" : String.join(",", e.options());
    return String.join(
        "\t", escape(e.source()), escape(e.target()), escape(e.type()), escape(options), "0", "0");
  }

  private static String escape(String field) {
    StringBuilder b = new StringBuilder();
    for (char c : field.toCharArray()) {
      switch (c) {
        case ' ' -> b.append("\\040");
        case '\t' -> b.append("\\011");
        case '\n' -> b.append("\\012");
        case '#' -> b.append("\\043");
        case '\\' -> b.append("\\134");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * util-vserver's default guest fstab ({@code distrib/misc/fstab}): /proc, a 16 MiB /tmp and the
   * guest's own /dev/pts.
   */
  public static List<FstabEntry> defaultEntries() {
    return List.of(
        new FstabEntry("none", "/proc", "proc", List.of()),
        new FstabEntry("none", "/tmp", "tmpfs", List.of("size=16m", "mode=1777")),
        new FstabEntry("none", "/dev/pts", "devpts", List.of("gid=5", "mode=620")));
  }

  /**
   * The host path of mount target {@code target} inside the guest root {@code root}, with every
   * symbolic link followed as the guest would see it: an absolute link is relative to the root, and
   * {@code ..} stops at the root, as it does in the guest. Refuses a target with a {@code ..} of
   * its own, one that resolves to the root itself, and more than 40 links (a loop). Components that
   * do not exist yet are taken literally. This is a check at one moment: the runtime must still
   * mount without following links the guest may change later.
   */
  public static Path resolveInside(Path root, String target) throws InvalidInputException {
    if (target == null || !target.startsWith("/")) {
      throw new InvalidInputException(
          "mount target " + SettingFiles.quote(String.valueOf(target)) + " is not an absolute path",
          "write the path as the guest sees it, starting with '/'");
    }
    Deque<String> pending = new ArrayDeque<>();
    for (String c : target.split("/")) {
      if (c.equals("..")) {
        throw new InvalidInputException(
            "mount target " + SettingFiles.quote(target) + " has a '..' component",
            "write the path inside the guest without '..'");
      }
      pending.addLast(c);
    }
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String c = pending.removeFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        // The guest's root is its own parent: '..' never leaves it.
        if (!done.isEmpty()) {
          done.removeLast();
        }
        continue;
      }
      Path here = join(root, done).resolve(c);
      if (!Files.isSymbolicLink(here)) {
        done.add(c);
        continue;
      }
      if (++links > MAX_LINKS) {
        throw new InvalidInputException(
            "mount target "
                + SettingFiles.quote(target)
                + " leads through more than "
                + MAX_LINKS
                + " symbolic links (a loop?)",
            "fix the symbolic links inside the guest or choose another target");
      }
      String link = readLink(here, target);
      if (link.startsWith("/")) {
        done.clear();
      }
      String[] parts = link.split("/");
      for (int i = parts.length - 1; i >= 0; i--) {
        pending.addFirst(parts[i]);
      }
    }
    Path result = join(root, done);
    if (done.isEmpty() || !result.normalize().startsWith(root.normalize())) {
      throw new InvalidInputException(
          "mount target "
              + SettingFiles.quote(target)
              + " resolves to the guest's root, not below it",
          "fix the symbolic links inside the guest or choose another target");
    }
    return result;
  }

  private static Path join(Path root, List<String> components) {
    Path p = root;
    for (String c : components) {
      p = p.resolve(c);
    }
    return p;
  }

  private static String readLink(Path link, String target) throws InvalidInputException {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw new InvalidInputException(
          "mount target "
              + SettingFiles.quote(target)
              + ": cannot read link "
              + link
              + " ("
              + e.getMessage()
              + ")",
          "check the guest's root tree");
    }
  }
}
