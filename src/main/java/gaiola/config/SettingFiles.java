package gaiola.config;

import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Reading and writing util-vserver's one-setting-per-file entries: bounded, strict UTF-8 reads that
 * refuse directories, devices and binary data, and atomic writes (temp file + rename).
 */
final class SettingFiles {
  /** A setting file holds a short value; anything larger is a mistake or an attack. */
  static final int MAX_BYTES = 64 * 1024;

  private SettingFiles() {}

  /**
   * The text of {@code file} with trailing whitespace removed, or empty when the file does not
   * exist. {@code label} names the file in messages, e.g. {@code vs01/context}.
   */
  static Optional<String> read(Path file, String label) throws InvalidInputException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(file)) {
        throw new InvalidInputException(
            label + ": is a symbolic link to '" + linkTarget(file) + "', which does not exist",
            "point the link at an existing file or remove it");
      }
      return Optional.empty();
    } catch (IOException e) {
      throw unreadable(label, e);
    }
    if (attrs.isDirectory()) {
      throw new InvalidInputException(
          label + ": is a directory, not a file", "put the value into a plain file of that name");
    }
    if (!attrs.isRegularFile()) {
      throw new InvalidInputException(
          label + ": is not a regular file", "put the value into a plain file of that name");
    }
    // Checked before reading so a huge file is refused without being read.
    if (attrs.size() > MAX_BYTES) {
      throw tooLarge(label, attrs.size());
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw unreadable(label, e);
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(label, bytes.length);
    }
    return Optional.of(decode(bytes, label).stripTrailing());
  }

  /**
   * Like {@link #read}, keeping only the first line (util-vserver reads values with {@code read}).
   */
  static Optional<String> readValue(
      Path file, String label, String noteName, Consumer<String> notes)
      throws InvalidInputException {
    Optional<String> text = read(file, label);
    if (text.isEmpty()) {
      return text;
    }
    String t = text.get();
    int nl = t.indexOf('\n');
    if (nl >= 0) {
      notes.accept(noteName + ":2: ignored (only the first line of a value file is read)");
      t = t.substring(0, nl);
    }
    return Optional.of(t.strip());
  }

  /** The non-blank lines of a list file, each with trailing whitespace removed. */
  static List<String> lines(String text) {
    List<String> result = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isBlank()) {
        result.add(line.stripTrailing());
      }
    }
    return result;
  }

  /** Presence flag (util-vserver's {@code test -e}): true when the file exists. */
  static boolean flag(Path file) {
    return Files.exists(file);
  }

  /** Replaces {@code file} with {@code content}, ending in a newline unless empty, atomically. */
  static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = tempSibling(file);
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(withNewline(content).getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        // On disk before the rename makes it visible, so a crash leaves the old or the new file.
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Replaces {@code link} by a symbolic link to {@code target}, atomically; never a directory. */
  static void writeLink(Path link, Path target) throws IOException {
    Files.createDirectories(link.getParent());
    Path tmp = tempSibling(link);
    try {
      Files.createSymbolicLink(tmp, target);
      // rename(2) refuses to replace a real directory, so an existing root tree is never clobbered.
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String withNewline(String content) {
    return content.isEmpty() || content.endsWith("\n") ? content : content + "\n";
  }

  /** A value as it appears in a message: quoted, shortened, control characters made visible. */
  static String quote(String value) {
    StringBuilder b = new StringBuilder("'");
    int n = 0;
    for (int i = 0; i < value.length() && n < 60; i++, n++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (value.length() > 60) {
      b.append("...");
    }
    return b.append('\'').toString();
  }

  private static String decode(byte[] bytes, String label) throws InvalidInputException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw binary(label, "it is not UTF-8 text");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        throw binary(label, "it contains a NUL byte");
      }
      if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f) {
        throw binary(label, String.format("it contains control character \\x%02x", (int) c));
      }
    }
    return text.replace("\r\n", "\n");
  }

  private static InvalidInputException binary(String label, String why) {
    return new InvalidInputException(
        label + ": holds binary data (" + why + ")", "write the value as plain text");
  }

  private static InvalidInputException tooLarge(String label, long size) {
    return new InvalidInputException(
        label
            + ": is "
            + size
            + " bytes, larger than the "
            + MAX_BYTES / 1024
            + " KiB a setting may have",
        "a setting file holds a short value; check that the right file is in place");
  }

  private static InvalidInputException unreadable(String label, IOException e) {
    if (e instanceof AccessDeniedException) {
      return new InvalidInputException(
          label + ": cannot be read (permission denied)", "run as root or make the file readable");
    }
    return new InvalidInputException(
        label + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
        "check the file");
  }

  private static String linkTarget(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "?";
    }
  }

  private static Path tempSibling(Path file) {
    String name =
        "."
            + file.getFileName()
            + ".tmp-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong());
    return file.resolveSibling(name);
  }

  /** The entries of a configuration directory, sorted; an unreadable one is an error naming it. */
  static java.util.List<Path> list(Path dir, String label) throws InvalidInputException {
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new InvalidInputException(
          label + ": cannot be listed (" + e.getMessage() + ")", "check its permissions");
    }
  }
}
