package gaiola.guest;

import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.host.FileStat;
import gaiola.host.ProcessRunner;
import gaiola.host.Rollback;
import gaiola.storage.Trees;
import gaiola.storage.union.RootStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * A guest's root as an overlay stack: turning a plain root tree into one, mounting it before the
 * guest starts, taking it down when the guest is deleted.
 */
final class GuestRoots {
  private final HostLayout layout;
  private final ProcessRunner runner;

  GuestRoots(HostLayout layout, ProcessRunner runner) {
    this.layout = layout;
    this.runner = runner;
  }

  Optional<RootStack> stack(GuestConfig config) throws InvalidInputException {
    return RootStack.read(layout.configDir(config.name()), config.vdir());
  }

  /** Mounts the guest's overlay when it has one (before start, or for the host to look in). */
  void prepare(GuestConfig config) throws GaiolaException {
    Optional<RootStack> s = stack(config);
    if (s.isPresent()) {
      s.get().mount(runner);
    }
  }

  /**
   * The guest's stack, made on first use: its tree moves to {@code .layers/NAME/tree} (a rename on
   * one filesystem: nothing is copied), a fresh private branch goes above it and the overlay is
   * mounted where the tree was. The guest must be stopped; a failure puts the tree back.
   */
  RootStack stackOf(GuestConfig config) throws GaiolaException {
    Optional<RootStack> existing = stack(config);
    if (existing.isPresent()) {
      existing.get().mount(runner);
      return existing.get();
    }
    Path vdir = config.vdir();
    Path layers = RootStack.layersOf(vdir);
    RootStack stack = new RootStack(vdir, layers, List.of(layers.resolve("tree")));
    Path configDir = layout.configDir(config.name());
    try (Rollback undo = new Rollback()) {
      if (!Files.isDirectory(vdir, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(
            config.name() + ": root tree " + vdir + " does not exist or is not a directory", "build the guest first");
      }
      if (Files.exists(layers, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(
            layers + " already exists but " + config.name() + " has no union/branches",
            "move it away; it is not Gaiola's for this guest");
      }
      PosixFileAttributes rootAttrs =
          Files.readAttributes(vdir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Path layersParent = layers.getParent();
      if (!Files.isDirectory(layersParent)) {
        undo.step(() -> Files.createDirectory(layersParent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        undo.add(() -> Files.deleteIfExists(layersParent));
      }
      if (FileStat.lstat(layersParent).dev() != FileStat.lstat(vdir).dev()) {
        throw new InvalidInputException(
            layersParent + " is on another filesystem than " + vdir, "keep a guest's layers beside its root tree");
      }
      undo.step(() -> Files.createDirectory(layers));
      undo.add(() -> Trees.delete(layers));
      undo.step(() -> Files.move(vdir, stack.ownTree()));
      undo.add(() -> { Files.deleteIfExists(vdir); Files.move(stack.ownTree(), vdir); });
      // The overlay's root takes the upper directory's owner and mode: those of the old root.
      undo.step(() -> makeLike(vdir, rootAttrs));
      undo.step(() -> makeLike(stack.upper(), rootAttrs));
      undo.step(() -> Files.createDirectory(stack.work()));
      undo.step(() -> stack.write(configDir));
      undo.add(() -> Files.deleteIfExists(configDir.resolve("union/branches")));
      stack.mount(runner);
      undo.commit();
      return stack;
    } catch (IOException e) {
      throw new HostException("cannot turn " + vdir + " into a layered root: " + e.getMessage(), e);
    }
  }

  private static void makeLike(Path dir, PosixFileAttributes like) throws IOException {
    Files.createDirectory(dir);
    PosixFileAttributeView v = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
    v.setOwner(like.owner());
    v.setGroup(like.group());
    v.setPermissions(like.permissions());
  }

  /** Unmounts the overlay and removes the private layers (delete). */
  void dismantle(GuestName name, Path vdir) throws GaiolaException, IOException {
    Optional<RootStack> s = RootStack.read(layout.configDir(name), vdir);
    RootStack stack = s.orElse(new RootStack(vdir, RootStack.layersOf(vdir), List.of(RootStack.layersOf(vdir))));
    stack.unmount(runner);
    if (s.isPresent() || Files.isDirectory(stack.layers())) {
      Trees.delete(stack.layers());
    }
  }
}
