package gaiola.storage.union;

import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.host.Command;
import gaiola.host.FileCalls;
import gaiola.host.ProcessRunner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A guest whose root is an overlay: a private writable branch (the upper layer, with overlayfs's
 * work directory beside it) over an ordered stack of read-only branches, top first. A unified
 * guest's own tree is one of these read-only branches, so a write copies the file up into the
 * private branch and the shared inode below is never changed. The stack is kept in the guest's
 * configuration ({@code union/branches}, one directory per line, top first); the private layers
 * live beside the guest's root tree in {@code .layers/NAME/{upper,work,tree}}.
 *
 * @param vdir where the overlay is mounted: the guest's root tree as everyone sees it
 * @param layers the guest's private layers directory
 * @param lowers the read-only branches, top first
 */
public record RootStack(Path vdir, Path layers, List<Path> lowers) {
  static final String BRANCHES = "union/branches";
  static final String OVERLAY_ID = "trusted.overlay.uuid";

  public RootStack {
    lowers = List.copyOf(lowers);
  }

  /** The private, writable branch: everything the guest writes lands here. */
  public Path upper() {
    return layers.resolve("upper");
  }

  public Path work() {
    return layers.resolve("work");
  }

  /**
   * The guest's own files once its tree became a branch (the tree vhashify unifies). Its files are
   * never written in place, only replaced by a rename or copied up: store objects and layered
   * clones share their inodes.
   */
  public Path ownTree() {
    return layers.resolve("tree");
  }

  /** Where the layers of the guest whose root tree is {@code vdir} live. */
  public static Path layersOf(Path vdir) {
    return vdir.toAbsolutePath().normalize().resolveSibling(".layers").resolve(vdir.getFileName());
  }

  /** The guest's stack, when it has one. */
  public static Optional<RootStack> read(Path configDir, Path vdir) throws InvalidInputException {
    Path file = configDir.resolve(BRANCHES);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<Path> lowers = new ArrayList<>();
    try {
      int n = 0;
      for (String line : Files.readAllLines(file)) {
        n++;
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        lowers.add(checkBranch(Path.of(s), file + ":" + n));
      }
    } catch (IOException e) {
      throw new InvalidInputException(file + " cannot be read: " + e.getMessage());
    }
    if (lowers.isEmpty()) {
      throw new InvalidInputException(file + " names no branch", "add one with 'union add', or remove the file");
    }
    return Optional.of(new RootStack(vdir, layersOf(vdir), lowers));
  }

  /** A branch must be an absolute path that overlayfs's option syntax can carry. */
  static Path checkBranch(Path p, String where) throws InvalidInputException {
    String s = p.toString();
    if (!p.isAbsolute() || s.contains(":") || s.contains(",") || s.contains("\\") || s.contains("\n")) {
      throw new InvalidInputException(
          where + ": branch '" + s + "' must be an absolute path without ':', ',' or '\\'",
          "overlayfs cannot name such a directory as a layer");
    }
    return p.normalize();
  }

  public void write(Path configDir) throws IOException {
    Path file = configDir.resolve(BRANCHES);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("branches.tmp");
    StringBuilder b = new StringBuilder("# read-only branches of the guest's root, top first; 'gaiola vserver NAME union' changes them\n");
    for (Path p : lowers) {
      b.append(p).append('\n');
    }
    Files.writeString(tmp, b);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public RootStack withLowers(List<Path> newLowers) {
    return new RootStack(vdir, layers, newLowers);
  }

  /** True when our overlay is mounted on the guest's root tree. */
  public boolean mounted() throws HostException {
    return Mounts.isOverlay(vdir);
  }

  /** Mounts the overlay on the guest's root tree unless it already is. */
  public void mount(ProcessRunner runner) throws GaiolaException {
    if (mounted()) {
      return;
    }
    for (Path p : lowers) {
      if (!Files.isDirectory(p)) {
        throw new InvalidInputException(
            "branch " + p + " of " + vdir + " does not exist or is not a directory",
            "restore it, or remove it with 'union remove'");
      }
    }
    try {
      Files.createDirectories(work());
      Files.createDirectories(upper());
      Files.createDirectories(vdir);
    } catch (IOException e) {
      throw new HostException("cannot prepare the layers of " + vdir + ": " + e.getMessage(), e);
    }
    StringBuilder lowerdir = new StringBuilder();
    for (Path p : lowers) {
      lowerdir.append(lowerdir.isEmpty() ? "" : ":").append(p);
    }
    String options = "lowerdir=" + lowerdir + ",upperdir=" + upper() + ",workdir=" + work();
    runner.run(Command.of("mount", "-t", "overlay", "overlay", "-o", options, vdir.toString()));
  }

  /** Unmounts the overlay when it is mounted (a busy root tree is an error, nothing changes). */
  public void unmount(ProcessRunner runner) throws GaiolaException {
    if (mounted()) {
      runner.run(Command.of("umount", vdir.toString()));
    }
  }

  /**
   * Gives the overlay a persistent id of its own when its private branch carries one (overlayfs
   * keeps it in {@code trusted.overlay.uuid} on the branch's root): a private branch copied from
   * another guest's carries that guest's, and two overlays must not pass for one filesystem.
   */
  public void renewOverlayId() throws IOException {
    byte[] attr = FileCalls.bytes(OVERLAY_ID);
    int fd = FileCalls.openat(FileCalls.AT_FDCWD, FileCalls.bytes(upper().toString()), FileCalls.O_RDONLY | FileCalls.O_DIRECTORY, 0);
    try {
      boolean carried = false;
      for (byte[] name : FileCalls.xattrs(fd, false, attr).keySet()) {
        carried |= Arrays.equals(name, attr);
      }
      if (carried) {
        UUID id = UUID.randomUUID();
        byte[] raw = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
        FileCalls.setxattr(fd, attr, raw, FileCalls.bytes(upper().toString()));
      }
    } finally {
      FileCalls.close(fd);
    }
  }
  /** A branch given on the command line, checked as one read from the configuration. */
  public static Path checkBranchPath(Path p, String where) throws InvalidInputException {
    return checkBranch(p, where);
  }
}
