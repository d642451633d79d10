package gaiola.guest;

import gaiola.config.GuestName;
import gaiola.config.GuestRegistry;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.host.Privileges;
import gaiola.host.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A guest's root as a stack of branches, as the command line and tests change it: each change
 * holds the guest's lock and needs the guest stopped.
 */
public final class Unions {
  private final Guests guests;
  private final HostLayout layout;
  private final ProcessRunner runner;
  private final GuestUnion union;

  Unions(Guests guests, HostLayout layout, ProcessRunner runner, GuestRegistry registry) {
    this.guests = guests;
    this.layout = layout;
    this.runner = runner;
    this.union = new GuestUnion(layout, runner, registry);
  }

  /** One branch of a guest's root, as {@code union list} shows it. */
  public record Branch(Path dir, String label, boolean writable) {}

  /** The guest's root branches, top first (the writable one first). */
  public List<Branch> list(GuestName name) throws GaiolaException {
    return union.list(guests.config(name)).stream()
        .map(b -> new Branch(b.dir(), b.label(), b.writable()))
        .toList();
  }

  /** Adds a read-only branch below the others, or just above / below a named one. */
  public void add(GuestName name, String branch, Optional<String> before, Optional<String> after)
      throws GaiolaException {
    Privileges.requireRoot("changing a guest's union");
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      guests.requireStopped(name, "change its union branches");
      union.add(guests.config(name), branch, before, after);
    }
  }

  public void remove(GuestName name, String branch) throws GaiolaException {
    Privileges.requireRoot("changing a guest's union");
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      guests.requireStopped(name, "change its union branches");
      union.remove(guests.config(name), branch);
    }
  }

  /** Hides a path of the lower branches with a whiteout in the private branch or a mask branch. */
  public Path hide(GuestName name, String path, Optional<String> maskBranch) throws GaiolaException {
    Privileges.requireRoot("changing a guest's union");
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      guests.requireStopped(name, "change its union branches");
      return union.hide(guests.config(name), path, maskBranch);
    }
  }

  /** Mounts a layered guest's root for the host (after a host reboot, before the guest starts). */
  public void mount(GuestName name) throws GaiolaException {
    Privileges.requireRoot("mounting a guest's root");
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      new GuestRoots(layout, runner).prepare(guests.config(name));
    }
  }
}
