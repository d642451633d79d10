package gaiola.build;

import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host's apt sources, read as apt reads them: {@code sources.list} and {@code
 * sources.list.d/*.list} in the one-line format, {@code sources.list.d/*.sources} in the deb822
 * format. Only {@code deb} entries over http, https, ftp or file count; anything malformed is
 * skipped, never guessed at, since a mirror is only a default the user can override.
 */
public final class AptSources {
  /** A sources file larger than this is no configuration a person wrote; it is skipped. */
  private static final long MAX_FILE = 1 << 20;

  /**
   * One {@code deb} source.
   *
   * @param origin file and line, for messages
   */
  public record Source(URI uri, List<String> suites, List<String> components, String origin) {
    public Source {
      suites = List.copyOf(suites);
      components = List.copyOf(components);
    }
  }

  private AptSources() {}

  /** Every deb source under {@code etcApt} ({@code /etc/apt}), in apt's order. */
  public static List<Source> read(Path etcApt) throws IOException {
    List<Source> all = new ArrayList<>();
    Path main = etcApt.resolve("sources.list");
    if (Files.isRegularFile(main)) {
      all.addAll(parseOneLine(text(main), main.toString()));
    }
    Path dir = etcApt.resolve("sources.list.d");
    if (Files.isDirectory(dir)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.sorted().toList();
      }
      for (Path f : files) {
        String n = f.getFileName().toString();
        // apt ignores files of other names (.save, .disabled, editor backups); so do we.
        if (!Files.isRegularFile(f) || !n.matches("[A-Za-z0-9_.-]+\\.(list|sources)")) {
          continue;
        }
        String t = text(f);
        all.addAll(n.endsWith(".list") ? parseOneLine(t, f.toString()) : parseDeb822(t, f.toString()));
      }
    }
    return all;
  }

  /**
   * The mirror to bootstrap {@code suite} from: a source that lists that very suite, else the first
   * that looks like a distribution's main archive (a suite without a {@code -updates}, {@code
   * -security} or {@code -backports} part, with a {@code main} component).
   */
  public static Optional<URI> mirrorFor(String suite, List<Source> sources) {
    for (Source s : sources) {
      if (s.suites().contains(suite)) {
        return Optional.of(s.uri());
      }
    }
    for (Source s : sources) {
      boolean plainSuite = s.suites().stream().anyMatch(x -> !x.contains("-") && !x.contains("/"));
      if (plainSuite && s.components().contains("main") && !s.uri().getPath().endsWith("-security")) {
        return Optional.of(s.uri());
      }
    }
    return Optional.empty();
  }

  /** A file as UTF-8 text; too large or not text is treated as empty, as there is nothing to use. */
  private static String text(Path f) throws IOException {
    if (Files.size(f) > MAX_FILE) {
      return "";
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f)))
          .toString();
    } catch (CharacterCodingException e) {
      return "";
    }
  }

  /** {@code deb [opt=val ...] URI SUITE [COMPONENT...]}, one per line, {@code #} comments. */
  static List<Source> parseOneLine(String text, String file) {
    List<Source> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      int hash = line.indexOf('#');
      String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (l.isEmpty()) {
        continue;
      }
      List<String> words = new ArrayList<>(List.of(l.split("\\s+")));
      if (!words.getFirst().equals("deb")) {
        continue;
      }
      words.removeFirst();
      if (!words.isEmpty() && words.getFirst().startsWith("[")) {
        // Options run to the closing bracket; a line without one is malformed and skipped.
        int close = -1;
        for (int i = 0; i < words.size(); i++) {
          if (words.get(i).endsWith("]")) {
            close = i;
            break;
          }
        }
        if (close < 0) {
          continue;
        }
        words.subList(0, close + 1).clear();
      }
      if (words.size() < 2) {
        continue;
      }
      Optional<URI> uri = uri(words.get(0));
      if (uri.isPresent() && suiteName(words.get(1))) {
        out.add(new Source(uri.get(), List.of(words.get(1)), words.subList(2, words.size()), file + ":" + lineNo));
      }
    }
    return out;
  }

  /** Paragraphs of {@code Field: value} lines, continuation lines indented, blank lines between. */
  static List<Source> parseDeb822(String text, String file) {
    List<Source> out = new ArrayList<>();
    List<String> lines = List.of(text.split("\n", -1));
    int start = 0;
    while (start < lines.size()) {
      int end = start;
      while (end < lines.size() && !lines.get(end).isBlank()) {
        end++;
      }
      if (end > start) {
        paragraph(lines.subList(start, end), file + ":" + (start + 1)).ifPresent(out::add);
      }
      start = end + 1;
    }
    return out;
  }

  private static Optional<Source> paragraph(List<String> lines, String origin) {
    java.util.Map<String, StringBuilder> fields = new java.util.HashMap<>();
    StringBuilder current = null;
    for (String line : lines) {
      if (line.startsWith("#")) {
        continue;
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (current == null) {
          return Optional.empty();
        }
        current.append(' ').append(line.strip());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      current = new StringBuilder(line.substring(colon + 1).strip());
      fields.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), current);
    }
    List<String> types = words(fields.get("types"));
    List<String> uris = words(fields.get("uris"));
    List<String> suites = words(fields.get("suites"));
    String enabled = fields.containsKey("enabled") ? fields.get("enabled").toString().strip() : "yes";
    if (!types.contains("deb") || uris.isEmpty() || suites.isEmpty() || enabled.equalsIgnoreCase("no")
        || !suites.stream().allMatch(AptSources::suiteName)) {
      return Optional.empty();
    }
    for (String u : uris) {
      Optional<URI> uri = uri(u);
      if (uri.isPresent()) {
        return Optional.of(new Source(uri.get(), suites, words(fields.get("components")), origin));
      }
    }
    return Optional.empty();
  }

  private static List<String> words(StringBuilder value) {
    return value == null || value.isEmpty() ? List.of() : List.of(value.toString().strip().split("\\s+"));
  }

  /** A suite as apt writes it: a name, or a path for flat repositories (which we do not use). */
  private static boolean suiteName(String s) {
    return s.matches("[A-Za-z0-9][A-Za-z0-9.+_/-]{0,63}");
  }

  private static Optional<URI> uri(String text) {
    try {
      return Optional.of(DebootstrapArguments.mirror(text));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }
}
