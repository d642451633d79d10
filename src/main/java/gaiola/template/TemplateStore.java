package gaiola.template;

import gaiola.error.ConflictException;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.error.NotFoundException;
import gaiola.storage.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The template catalogue: Gaiola's own directory ({@code /var/lib/gaiola/templates}), where
 * {@code template create} and {@code import} write, and OpenVZ's {@code /vz/template/cache},
 * read only. A template's name is its file name without the archive extension
 * ({@code debian-12-x86_64.tar.gz} is {@code debian-12-x86_64}); Gaiola's own wins a tie.
 */
public final class TemplateStore {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

  private final Path own;
  private final Path openvz;

  public TemplateStore(Path own, Path openvz) {
    this.own = own;
    this.openvz = openvz;
  }

  public Path directory() {
    return own;
  }

  /** Checks a template name given by the user. */
  public static String checkName(String name) throws InvalidInputException {
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      throw new InvalidInputException(
          "template name '" + name + "' is not valid",
          "use letters, digits, '.', '_', '+' and '-', starting with a letter or digit (at most 128)");
    }
    return name;
  }

  /** The template's name for a file name, or empty when it has no archive extension. */
  static Optional<String> nameOf(String fileName) {
    for (String ext : Compression.EXTENSIONS) {
      if (fileName.endsWith(ext) && fileName.length() > ext.length()) {
        return Optional.of(fileName.substring(0, fileName.length() - ext.length()));
      }
    }
    return Optional.empty();
  }

  /** Every template of both directories, by name; Gaiola's own first on a tie. */
  public List<Template> list() throws GaiolaException {
    List<Template> all = new ArrayList<>(scan(own, "gaiola"));
    for (Template t : scan(openvz, "openvz")) {
      if (all.stream().noneMatch(a -> a.name().equals(t.name()))) {
        all.add(t);
      }
    }
    all.sort(Comparator.comparing(Template::name));
    return all;
  }

  private static List<Template> scan(Path dir, String source) throws GaiolaException {
    List<Template> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path f : s) {
        Optional<String> name = nameOf(f.getFileName().toString());
        if (name.isEmpty() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !NAME.matcher(name.get()).matches()) {
          continue;
        }
        found.add(new Template(
            name.get(), f, detect(f), Files.size(f), Files.getLastModifiedTime(f).toInstant(), source));
      }
    } catch (IOException e) {
      throw new HostException("cannot read the template directory " + dir + ": " + e.getMessage(), e);
    }
    return found;
  }

  private static Optional<Compression> detect(Path f) {
    try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(f), 1024)) {
      int[] len = new int[1];
      byte[] head = Compression.head(in, len);
      return Compression.detect(head, len[0]);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * What {@code -t} names: a file when the text is a path (it has a '/' or names an existing
   * file), else a template of the catalogue.
   */
  public Path resolve(String nameOrFile) throws GaiolaException {
    if (nameOrFile.contains("/") || Files.isRegularFile(Path.of(nameOrFile))) {
      Path f = Path.of(nameOrFile).toAbsolutePath();
      if (!Files.isRegularFile(f)) {
        throw new NotFoundException("template file " + f + " does not exist", "give an existing archive or a name from 'gaiola template list'");
      }
      return f;
    }
    checkName(nameOrFile);
    for (Template t : list()) {
      if (t.name().equals(nameOrFile)) {
        return t.file();
      }
    }
    throw new NotFoundException(
        "template '" + nameOrFile + "' is not in " + own + " or " + openvz,
        "see 'gaiola template list', or give the archive's path");
  }

  /** Refuses a name that is taken in Gaiola's own directory. */
  public void requireFree(String name) throws GaiolaException {
    checkName(name);
    for (Template t : scan(own, "gaiola")) {
      if (t.name().equals(name)) {
        throw new ConflictException(
            "template '" + name + "' already exists (" + t.file() + ")",
            "choose another name, or 'gaiola template delete " + name + "' first");
      }
    }
  }

  /**
   * Writes a new template from a tree: to a temporary file first, renamed into place only when
   * whole, so that a failure or an interrupt leaves no half archive in the catalogue.
   */
  public Path create(String name, Path tree, Compression compression, Progress progress) throws GaiolaException {
    requireFree(name);
    Path target = own.resolve(name + compression.extension());
    Path partial = own.resolve("." + name + compression.extension() + ".partial");
    // An interrupt (Ctrl-C, SIGTERM) undoes too: no half archive stays in the directory.
    try (gaiola.host.Rollback undo = new gaiola.host.Rollback()) {
      undo.step(() -> Files.createDirectories(own));
      undo.add(() -> Files.deleteIfExists(partial));
      undo.step(() -> {
        Files.deleteIfExists(partial);
        TreeArchive.pack(tree, partial, compression, progress);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      });
      undo.commit();
      return target;
    } catch (IOException e) {
      throw new HostException("cannot create template '" + name + "': " + e.getMessage(), "nothing was left behind");
    }
  }

  /** Copies an archive into the catalogue after reading it through: it must be whole and sound. */
  public Template importFile(Path file, Optional<String> name) throws GaiolaException {
    if (!Files.isRegularFile(file)) {
      throw new NotFoundException("template file " + file + " does not exist", "give the path of a tar archive");
    }
    String n = name.isPresent() ? name.get() : nameOf(file.getFileName().toString()).orElseThrow(() ->
        new InvalidInputException(
            "cannot tell a template name from '" + file.getFileName() + "'", "give one: gaiola template import FILE NAME"));
    requireFree(n);
    Compression c;
    try {
      c = TarUnpack.compressionOf(file);
      TarUnpack.verify(file);
    } catch (IOException e) {
      throw new InvalidInputException(file + " cannot be used as a template: " + e.getMessage(), "nothing was imported");
    }
    Path target = own.resolve(n + c.extension());
    Path partial = own.resolve("." + n + c.extension() + ".partial");
    try {
      Files.createDirectories(own);
      Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      return new Template(n, target, Optional.of(c), Files.size(target), Files.getLastModifiedTime(target).toInstant(), "gaiola");
    } catch (IOException e) {
      throw new HostException("cannot import " + file + ": " + e.getMessage(), "nothing was imported");
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        // reported by the failure above, if any
      }
    }
  }

  /** Deletes a template of Gaiola's own directory; OpenVZ's cache is left alone. */
  public Path delete(String name) throws GaiolaException {
    checkName(name);
    for (Template t : scan(own, "gaiola")) {
      if (t.name().equals(name)) {
        try {
          Files.delete(t.file());
          return t.file();
        } catch (IOException e) {
          throw new HostException("cannot delete " + t.file() + ": " + e.getMessage(), e);
        }
      }
    }
    for (Template t : scan(openvz, "openvz")) {
      if (t.name().equals(name)) {
        throw new InvalidInputException(
            "template '" + name + "' is in OpenVZ's cache " + openvz + ", which Gaiola only reads",
            "remove " + t.file() + " yourself if it should go");
      }
    }
    throw new NotFoundException("template '" + name + "' does not exist", "see 'gaiola template list'");
  }
}
