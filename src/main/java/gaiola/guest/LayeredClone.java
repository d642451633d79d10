package gaiola.guest;

import gaiola.config.GuestConfig;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.host.FileStat;
import gaiola.host.Privileges;
import gaiola.host.ProcessRunner;
import gaiola.host.Rollback;
import gaiola.storage.Progress;
import gaiola.storage.TreeCopy;
import gaiola.storage.Trees;
import gaiola.storage.union.RootStack;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code clone --layered}: a clone whose root is an overlay, made about as fast as {@code cp -al}.
 * Its own read-only tree ({@code .layers/NEW/tree}) is a hard-link copy of the source's own tree:
 * new directories with the source's metadata, every other entry a second name of the source's
 * inode. The source's other (shared) branches are referenced as they are, in the same order; its
 * private branch is copied in full (whiteouts and {@code trusted.overlay.*} attributes included);
 * the work directory is fresh. A source with a plain root is made layered first.
 *
 * <p>Sharing the inodes relies on one invariant: <b>nothing writes to a non-directory inode of a
 * {@code .layers/NAME/tree} in place</b>. A guest and the host write through the guest's overlay,
 * which copies a file up into the private branch before changing it; vhashify gives a file a new
 * inode by linking a store object under a temporary name and renaming it over the old one; delete
 * only unlinks. Directories are never shared (each tree has its own), so adding, renaming or
 * removing a name in one tree does not show in the other. Gaiola's other writers keep to it: the
 * build methods write into a new root before it is ever layered, start writes {@code /etc/hosts}
 * and {@code resolv.conf} through the mounted overlay (a new file renamed into place), and
 * {@code union hide} only adds names. Whoever writes into a lower tree in place (content, mode,
 * owner, times, attributes, {@code setattr} on a path below {@code .layers}) changes it for every
 * guest sharing it.
 */
final class LayeredClone {
  private final HostLayout layout;
  private final ProcessRunner runner;
  private final Reporter reporter;

  LayeredClone(HostLayout layout, ProcessRunner runner, Reporter reporter) {
    this.layout = layout;
    this.runner = runner;
    this.reporter = reporter;
  }

  /** The checks made before anything changes: root, no leftover layers, one filesystem. */
  void check(GuestConfig source, Path vdir) throws GaiolaException {
    Privileges.requireRoot("a layered clone (it mounts an overlay)");
    Path layers = RootStack.layersOf(vdir);
    if (Files.exists(layers, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(
          layers + " already exists but belongs to no guest", "move it away, then clone again");
    }
    Optional<RootStack> stack = new GuestRoots(layout, runner).stack(source);
    // A plain root becomes the source's own tree by a rename: it stays on the filesystem it is on.
    Path tree = stack.isPresent() ? stack.get().ownTree() : source.vdir();
    if (stack.isPresent() && !stack.get().lowers().contains(tree)) {
      return;
    }
    try {
      if (FileStat.lstat(tree).dev() != FileStat.lstat(existingAncestor(layers)).dev()) {
        throw new InvalidInputException(
            layers + " would be on another filesystem than " + tree + "; hard links cannot cross filesystems",
            "give --rootdir on the source's filesystem, or clone without --layered");
      }
    } catch (IOException e) {
      throw new HostException("cannot read " + tree + ": " + e.getMessage(), e);
    }
  }

  private static Path existingAncestor(Path p) {
    Path a = p.toAbsolutePath().normalize();
    while (a.getParent() != null && !Files.exists(a, LinkOption.NOFOLLOW_LINKS)) {
      a = a.getParent();
    }
    return a;
  }

  /**
   * Makes the clone's layers and mounts its overlay on {@code config.vdir()}, an empty directory;
   * each step's undo goes into {@code undo} (the build's), newest first, so a failure or Ctrl-C
   * leaves nothing of the clone. The caller holds the source's lock and found it stopped.
   */
  void make(GuestConfig source, GuestConfig config, Rollback undo) throws IOException, GaiolaException {
    GuestRoots roots = new GuestRoots(layout, runner);
    if (roots.stack(source).isEmpty()) {
      reporter.warn(source.name() + "'s root becomes layered (its tree moves to "
          + RootStack.layersOf(source.vdir()).resolve("tree") + " below an overlay); its files stay as they are");
    }
    // Stays layered whatever happens next: the same files, seen through an overlay.
    RootStack from = roots.stackOf(source);
    Path layers = RootStack.layersOf(config.vdir());
    RootStack to = new RootStack(config.vdir(), layers, lowers(from, layers.resolve("tree")));
    Path layersParent = layers.getParent();
    if (!Files.isDirectory(layersParent)) {
      Files.createDirectory(layersParent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      undo.add(() -> removeIfEmpty(layersParent));
    }
    Files.createDirectory(layers);
    undo.add(() -> Trees.delete(layers));
    Progress meter = reporter.meter("clone --layered " + source.name());
    try {
      if (to.lowers().contains(to.ownTree())) {
        Files.createDirectory(to.ownTree());
        TreeCopy.link(from.ownTree(), to.ownTree(), meter);
      }
      Files.createDirectory(to.upper());
      // The private branch adds to the tree's bytes: its own total would restart the bar.
      TreeCopy.copy(from.upper(), to.upper(), (bytes, files) -> meter.advance(bytes, files));
      to.renewOverlayId();
      Files.createDirectory(to.work());
      to.write(layout.configDir(config.name()));
      to.mount(runner);
      undo.add(() -> to.unmount(runner));
      meter.done();
    } finally {
      meter.clear();
    }
  }

  /** The clone's branches: the source's, top first, with its own tree in place of the source's. */
  static List<Path> lowers(RootStack from, Path ownTree) {
    List<Path> lowers = new ArrayList<>();
    for (Path p : from.lowers()) {
      lowers.add(p.equals(from.ownTree()) ? ownTree : p);
    }
    return lowers;
  }

  private static void removeIfEmpty(Path dir) throws IOException {
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException e) {
      // Another guest's layers arrived meanwhile: the directory is theirs now.
    }
  }
}
