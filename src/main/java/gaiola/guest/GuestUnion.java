package gaiola.guest;

import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.GuestRegistry;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.error.NotFoundException;
import gaiola.host.Command;
import gaiola.host.ProcessRunner;
import gaiola.storage.union.RootStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seed's UnionFS stacks on overlayfs: {@code union list|add|remove|hide} on a stopped guest.
 * A branch is named by a guest (its root tree) or an absolute directory.
 */
final class GuestUnion {
  private final HostLayout layout;
  private final ProcessRunner runner;
  private final GuestRegistry registry;
  private final GuestRoots roots;

  GuestUnion(HostLayout layout, ProcessRunner runner, GuestRegistry registry) {
    this.layout = layout;
    this.runner = runner;
    this.registry = registry;
    this.roots = new GuestRoots(layout, runner);
  }

  /** One line of {@code union list}: the branch, what it is and whether it is writable. */
  record Branch(Path dir, String label, boolean writable) {}

  List<Branch> list(GuestConfig config) throws GaiolaException {
    Optional<RootStack> s = roots.stack(config);
    if (s.isEmpty()) {
      return List.of(new Branch(config.vdir(), "own tree (no union)", true));
    }
    List<Branch> out = new ArrayList<>();
    out.add(new Branch(s.get().upper(), "private", true));
    for (Path p : s.get().lowers()) {
      out.add(new Branch(p, label(s.get(), p), false));
    }
    return out;
  }

  private String label(RootStack s, Path p) {
    if (p.equals(s.ownTree())) {
      return "own tree";
    }
    if (p.getParent() != null && p.getParent().equals(layout.vdirBase())) {
      return "guest " + p.getFileName();
    }
    return "directory";
  }

  /** Resolves a branch as the user named it: an absolute directory, or a guest's root tree. */
  Path branch(String spec, GuestConfig self) throws GaiolaException {
    Path dir;
    if (spec.startsWith("/")) {
      dir = Path.of(spec);
    } else {
      GuestName other = GuestName.parse(spec);
      if (!registry.exists(other)) {
        throw new NotFoundException(
            "branch '" + spec + "' is neither an absolute directory nor a guest", "name a guest or give /a/path");
      }
      dir = registry.load(other, s -> {}).vdir();
    }
    RootStack.checkBranchPath(dir, "union");
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException("branch " + dir + " does not exist or is not a directory", "create it first");
    }
    try {
      // overlayfs follows links: the checks below must see where the branch really is.
      dir = RootStack.checkBranchPath(dir.toRealPath(), "union");
    } catch (IOException e) {
      throw new HostException("cannot resolve branch " + dir + ": " + e.getMessage(), e);
    }
    Path vdir = self.vdir().toAbsolutePath().normalize();
    Path layers = RootStack.layersOf(vdir);
    try {
      vdir = Files.exists(vdir) ? vdir.toRealPath() : vdir;
      layers = Files.exists(layers) ? layers.toRealPath() : layers;
    } catch (IOException e) {
      throw new HostException("cannot resolve " + vdir + ": " + e.getMessage(), e);
    }
    if (dir.startsWith(vdir) || vdir.startsWith(dir) || dir.startsWith(layers)) {
      throw new InvalidInputException(
          "branch " + dir + " overlaps the root of " + self.name(), "a branch must lie outside the guest's own tree");
    }
    return dir;
  }

  void add(GuestConfig config, String spec, Optional<String> before, Optional<String> after) throws GaiolaException {
    Path dir = branch(spec, config);
    RootStack s = roots.stackOf(config);
    List<Path> lowers = new ArrayList<>(s.lowers());
    if (lowers.contains(dir)) {
      throw new InvalidInputException("branch " + dir + " is already in the stack of " + config.name());
    }
    int at = lowers.size();
    if (before.isPresent()) {
      at = indexOf(s, lowers, before.get(), config);
    } else if (after.isPresent()) {
      at = indexOf(s, lowers, after.get(), config) + 1;
    }
    lowers.add(at, dir);
    replace(config, s, lowers);
  }

  void remove(GuestConfig config, String spec) throws GaiolaException {
    Optional<RootStack> s = roots.stack(config);
    if (s.isEmpty()) {
      throw new InvalidInputException(config.name() + " has no union branches", "see 'union list'");
    }
    List<Path> lowers = new ArrayList<>(s.get().lowers());
    int i = indexOf(s.get(), lowers, spec, config);
    if (lowers.get(i).equals(s.get().ownTree())) {
      throw new InvalidInputException("the own tree of " + config.name() + " cannot be removed", "it holds the guest's files");
    }
    lowers.remove(i);
    replace(config, s.get(), lowers);
  }

  private int indexOf(RootStack s, List<Path> lowers, String spec, GuestConfig config) throws GaiolaException {
    Path dir = spec.equals("tree") || spec.equals(config.name().value()) ? s.ownTree() : branch(spec, config);
    int i = lowers.indexOf(dir);
    if (i < 0) {
      throw new InvalidInputException("branch " + dir + " is not in the stack of " + config.name(), "see 'union list'");
    }
    return i;
  }

  /** Remounts with the new stack; the configuration changes only once the new mount stands. */
  private void replace(GuestConfig config, RootStack old, List<Path> lowers) throws GaiolaException {
    RootStack next = old.withLowers(lowers);
    old.unmount(runner);
    try {
      next.mount(runner);
    } catch (GaiolaException e) {
      old.mount(runner);
      throw e;
    }
    try {
      next.write(layout.configDir(config.name()));
    } catch (IOException e) {
      next.unmount(runner);
      old.mount(runner);
      throw new HostException("cannot write the union of " + config.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Hides a path of the branches below: a whiteout (character device 0:0) at that path in the
   * guest's private branch, or in {@code maskBranch} -- a directory shared as a mask by guests.
   */
  Path hide(GuestConfig config, String guestPath, Optional<String> maskBranch) throws GaiolaException {
    Path rel = insidePath(guestPath);
    Path base = maskBranch.isPresent() ? branch(maskBranch.get(), config) : roots.stackOf(config).upper();
    Path target = base.resolve(rel);
    try {
      Path dir = base;
      for (Path part : rel.getParent() == null ? List.<Path>of() : iterable(rel.getParent())) {
        dir = dir.resolve(part);
        if (Files.isSymbolicLink(dir) || (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))) {
          throw new InvalidInputException(dir + " is not a directory; cannot hide " + guestPath + " below it");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(dir);
        }
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(
            target + " already exists in that branch", "remove it there first, then hide the path");
      }
    } catch (IOException e) {
      throw new HostException("cannot hide " + guestPath + ": " + e.getMessage(), e);
    }
    runner.run(Command.of("mknod", target.toString(), "c", "0", "0"));
    return target;
  }

  private static List<Path> iterable(Path p) {
    List<Path> parts = new ArrayList<>();
    p.forEach(parts::add);
    return parts;
  }

  /** An absolute path inside the guest, without '..', as a relative path. */
  static Path insidePath(String guestPath) throws InvalidInputException {
    if (!guestPath.startsWith("/") || guestPath.contains("\0")) {
      throw new InvalidInputException("'" + guestPath + "' is not an absolute path inside the guest", "write it as /usr/portage");
    }
    Path p = Path.of(guestPath);
    for (Path part : p) {
      if (part.toString().equals("..")) {
        throw new InvalidInputException("'" + guestPath + "' climbs out with '..'", "write the path without '..'");
      }
    }
    Path rel = Path.of("/").relativize(p.normalize());
    if (rel.toString().isEmpty()) {
      throw new InvalidInputException("the guest's root itself cannot be hidden");
    }
    return rel;
  }
}
