package gaiola.config;

import gaiola.error.ConflictException;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.error.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The guests configured on this host: one directory each under {@code /etc/vservers}. Entries whose
 * name starts with '.' ({@code .defaults}, {@code .distributions}) are not guests. A guest is known
 * by its directory; a {@code name} file that says otherwise is refused by {@link #load}.
 */
public final class GuestRegistry {
  private final HostLayout layout;

  public GuestRegistry(HostLayout layout) {
    this.layout = layout;
  }

  /** The guests, sorted; directories whose name is not a legal guest name are skipped silently. */
  public List<GuestName> names() throws HostException {
    return names(note -> {});
  }

  /**
   * The guests, sorted; each directory skipped for its illegal name is reported to {@code notes}.
   */
  public List<GuestName> names(Consumer<String> notes) throws HostException {
    List<GuestName> names = new ArrayList<>();
    for (Path dir : guestDirs()) {
      String n = dir.getFileName().toString();
      try {
        names.add(GuestName.parse(n));
      } catch (InvalidInputException e) {
        notes.accept(n + ": ignored (not a valid guest name)");
      }
    }
    return names;
  }

  public boolean exists(GuestName name) {
    return Files.isDirectory(layout.configDir(name));
  }

  /** Reads and checks the configuration of guest {@code name}. */
  public GuestConfig load(GuestName name, Consumer<String> notes) throws GaiolaException {
    if (!exists(name)) {
      throw new NotFoundException(
          "guest '" + name + "' does not exist",
          "list guests with 'gaiola list', or build it with 'gaiola vserver "
              + name
              + " build -m busybox'");
    }
    GuestConfig config = VserverDirectory.read(layout.configDir(name), layout, notes);
    if (!config.name().equals(name)) {
      throw new InvalidInputException(
          name + "/name: '" + config.name() + "' differs from the directory name '" + name + "'",
          "Gaiola knows a guest by its directory: write '"
              + name
              + "' into the name file or rename the directory");
    }
    return config;
  }

  /**
   * The guest, other than {@code except} (may be null), whose {@code context} file holds {@code
   * id}. Only the {@code context} files are read; a malformed one holds nothing.
   */
  public Optional<GuestName> holderOfContext(ContextId id, GuestName except) throws HostException {
    for (Path dir : guestDirs()) {
      String n = dir.getFileName().toString();
      if (except != null && n.equals(except.value())) {
        continue;
      }
      if (contextOf(dir).filter(id::equals).isPresent()) {
        try {
          return Optional.of(GuestName.parse(n));
        } catch (InvalidInputException e) {
          // A directory that is not a guest name cannot be named as the holder.
        }
      }
    }
    return Optional.empty();
  }

  /** The guest whose context id is {@code id}, for commands given a number instead of a name. */
  public Optional<GuestName> byContext(ContextId id) throws HostException {
    return holderOfContext(id, null);
  }

  /**
   * The lowest context id from {@value ContextId#FIRST_AUTOMATIC} up that no guest uses, starting
   * at {@code .defaults/context.next} when that holds a larger valid id (util-vserver counts it up
   * so that ids of deleted guests are not reused). Every directory's {@code context} counts, even
   * one whose name is not a legal guest name.
   */
  public ContextId nextFreeContext() throws HostException, ConflictException {
    BitSet used = new BitSet(ContextId.MAX + 1);
    for (Path dir : guestDirs()) {
      contextOf(dir).ifPresent(c -> used.set(c.value()));
    }
    int start = ContextId.FIRST_AUTOMATIC;
    Optional<ContextId> next = contextOf(layout.defaults(), "context.next");
    if (next.isPresent() && next.get().value() > start) {
      start = next.get().value();
    }
    int free = used.nextClearBit(start);
    if (free > ContextId.MAX) {
      throw new ConflictException(
          "no free context id from " + start + " to " + ContextId.MAX,
          "give one with --context, or lower .defaults/context.next");
    }
    return new ContextId(free);
  }

  private Optional<ContextId> contextOf(Path dir) {
    return contextOf(dir, "context");
  }

  private static Optional<ContextId> contextOf(Path dir, String file) {
    try {
      Optional<String> text = SettingFiles.readValue(dir.resolve(file), file, file, note -> {});
      return text.isPresent() ? Optional.of(ContextId.parse(text.get())) : Optional.empty();
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  /** The guest directories (also through symbolic links), sorted, without dot-entries. */
  private List<Path> guestDirs() throws HostException {
    Path base = layout.configBase();
    try (Stream<Path> s = Files.list(base)) {
      return s.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new HostException(
          "cannot list " + base + " (" + e.getMessage() + ")",
          "run as root or check its permissions");
    }
  }
}
