package gaiola.build;

import gaiola.error.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The arguments of {@code -m debootstrap}, in util-vserver's syntax: {@code -d SUITE [-m MIRROR]
 * [--variant V] [--cache DIR] [-- DEBOOTSTRAP-OPTIONS]}. Every value is checked here, before
 * anything on the host changes; debootstrap itself judges only what it alone knows (whether a
 * suite has a script, whether a variant exists).
 */
public final class DebootstrapArguments {
  private static final Pattern SUITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}");
  private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]{0,99}");
  private static final Pattern OPTION = Pattern.compile("--[a-z][a-z0-9-]{0,40}(=.*)?");
  /** Options Gaiola sets itself, or that would leave a tree that cannot boot. */
  private static final Set<String> RESERVED =
      Set.of(
          "--cache-dir", "--make-tarball", "--unpack-tarball", "--foreign", "--second-stage",
          "--second-stage-target", "--download-only", "--print-debs", "--keep-debootstrap-dir",
          "--debian-installer", "--help", "--version");
  private static final String USAGE = "use: -m debootstrap -- -d SUITE [-m MIRROR] [--variant V] [-- --include=PKG,...]";

  private DebootstrapArguments() {}

  /** Parses what follows {@code build -m debootstrap --}. */
  public static BuildMethod.Debootstrap parse(List<String> args) throws InvalidInputException {
    String suite = null;
    String variant = null;
    URI mirror = null;
    Path cache = null;
    int i = 0;
    for (; i < args.size(); i++) {
      String a = args.get(i);
      checkText(a);
      if (a.equals("--")) {
        i++;
        break;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (a.startsWith("-")) {
        if (i + 1 >= args.size()) {
          throw new InvalidInputException("debootstrap option '" + a + "' needs a value", USAGE);
        }
        value = args.get(++i);
        checkText(value);
      }
      switch (name) {
        case "-d", "--dist", "--suite" -> suite = once(suite, name, suite(value));
        case "-m", "--mirror" -> mirror = once(mirror, name, mirror(value));
        case "--variant" -> variant = once(variant, name, word("variant", value));
        case "--cache" -> cache = once(cache, name, cacheDir(value));
        case "-s" ->
            throw new InvalidInputException(
                "util-vserver's debootstrap option -s (a script) is not supported",
                "leave it out; debootstrap's own script for the suite is used");
        default ->
            throw new InvalidInputException(
                "debootstrap build option '" + a + "' is not known",
                USAGE + "; options for debootstrap itself go after a second '--'");
      }
    }
    if (suite == null) {
      throw new InvalidInputException("-m debootstrap needs a suite", USAGE);
    }
    String arch = null;
    List<String> include = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (; i < args.size(); i++) {
      String a = args.get(i);
      checkText(a);
      if (!OPTION.matcher(a).matches()) {
        throw new InvalidInputException(
            "extra debootstrap argument '" + a + "' is not an option of the form --name or --name=value",
            "give values with '=' (--include=cron); suite, target and mirror are Gaiola's");
      }
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      String value = eq < 0 ? null : a.substring(eq + 1);
      if (RESERVED.contains(name)) {
        throw new InvalidInputException(
            "debootstrap option " + name + " cannot be given: Gaiola manages it",
            name.equals("--cache-dir") ? "use --cache DIR before the second '--'" : "remove it");
      }
      switch (name) {
        case "--include" -> include.addAll(packages(name, value));
        case "--exclude" -> exclude.addAll(packages(name, value));
        case "--arch" -> arch = once(arch, name, word("architecture", value));
        case "--variant" -> variant = once(variant, name, word("variant", value));
        default -> options.add(a);
      }
    }
    return new BuildMethod.Debootstrap(
        suite, Optional.ofNullable(variant), Optional.ofNullable(mirror), Optional.ofNullable(arch),
        include, exclude, options, Optional.ofNullable(cache));
  }

  private static <T> T once(T previous, String name, T value) throws InvalidInputException {
    if (previous != null) {
      throw new InvalidInputException("debootstrap option " + name + " is given twice", "give it once");
    }
    return value;
  }

  private static void checkText(String a) throws InvalidInputException {
    if (a.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || a.length() > 4096) {
      throw new InvalidInputException(
          "debootstrap argument '" + printable(a) + "' has control characters or is too long",
          "remove them");
    }
  }

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(200).forEach(c -> b.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)));
    return b.toString();
  }

  static String suite(String value) throws InvalidInputException {
    if (value == null || !SUITE.matcher(value).matches()) {
      throw new InvalidInputException(
          "suite '" + printable(String.valueOf(value)) + "' is not a suite name",
          "give a Debian suite or codename such as bookworm, stable or sid");
    }
    return value;
  }

  private static String word(String what, String value) throws InvalidInputException {
    if (value == null || !WORD.matcher(value).matches()) {
      throw new InvalidInputException(
          what + " '" + printable(String.valueOf(value)) + "' is not valid",
          "give a lower-case name such as " + (what.equals("variant") ? "minbase" : "amd64"));
    }
    return value;
  }

  private static List<String> packages(String option, String value) throws InvalidInputException {
    List<String> names = new ArrayList<>();
    for (String p : (value == null ? "" : value).split(",", -1)) {
      if (!PACKAGE.matcher(p).matches()) {
        throw new InvalidInputException(
            option + ": '" + printable(p) + "' is not a package name",
            "give names separated by commas, e.g. " + option + "=cron,less");
      }
      names.add(p);
    }
    return names;
  }

  /** An http, https, ftp or file URL with nothing a shell or debootstrap could misread. */
  static URI mirror(String value) throws InvalidInputException {
    String hint = "give a Debian mirror such as http://deb.debian.org/debian";
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new InvalidInputException("mirror '" + printable(value) + "' is not a URL", hint);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    boolean remote = Set.of("http", "https", "ftp").contains(scheme);
    if (!remote && !scheme.equals("file")
        || remote && (uri.getHost() == null || uri.getHost().isEmpty())
        || scheme.equals("file") && (uri.getPath() == null || !uri.getPath().startsWith("/"))
        || uri.getRawQuery() != null || uri.getRawFragment() != null || value.contains(" ")) {
      throw new InvalidInputException("mirror '" + printable(value) + "' is not an http(s), ftp or file URL", hint);
    }
    return uri;
  }

  private static Path cacheDir(String value) throws InvalidInputException {
    Path p = Path.of(value);
    if (!p.isAbsolute() || !p.normalize().equals(p) || p.getNameCount() == 0) {
      throw new InvalidInputException(
          "cache directory '" + printable(value) + "' must be an absolute path without '..', not '/'",
          "e.g. --cache /var/cache/gaiola-test/debootstrap");
    }
    return p;
  }
}
