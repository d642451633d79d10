package gaiola.guest;

import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.Privileges;
import gaiola.host.ProcessRunner;
import gaiola.storage.union.RootStack;
import gaiola.storage.unify.Excludes;
import gaiola.storage.unify.HashStore;
import gaiola.storage.unify.StoreLocation;
import gaiola.storage.unify.Vhashify;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * util-vserver's vhashify of one guest against its store. The first run turns the guest's root
 * into an overlay over its own tree (the guest must be stopped for that); later runs may unify a
 * running guest. A store on another filesystem is refused before anything changes.
 */
final class GuestUnification {
  private final Guests guests;
  private final HostLayout layout;
  private final ProcessRunner runner;
  private final Reporter reporter;

  GuestUnification(Guests guests, HostLayout layout, ProcessRunner runner, Reporter reporter) {
    this.guests = guests;
    this.layout = layout;
    this.runner = runner;
    this.reporter = reporter;
  }

  Vhashify.Result run(GuestName name, Vhashify.Options options, Optional<Path> store, Optional<Path> excludeFile)
      throws GaiolaException {
    Privileges.requireRoot("unifying a guest");
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      GuestConfig config = guests.config(name);
      GuestRoots roots = new GuestRoots(layout, runner);
      Optional<RootStack> existing = roots.stack(config);
      boolean stacked = existing.isPresent();
      // The overlay has a device of its own: the store must share the filesystem of the tree below.
      Path below = stacked ? existing.get().ownTree() : config.vdir();
      if (!stacked && !options.dryRun()) {
        guests.requireStopped(name, "unify it for the first time (its tree becomes the lower layer of an overlay)");
      }
      Path configDir = layout.configDir(name);
      Excludes excludes = Excludes.forGuest(configDir, layout.defaults(), excludeFile);
      Path storeRoot = store.isPresent()
          ? store.get()
          : StoreLocation.find(configDir, layout.defaults(), layout.vdirBase(), below);
      try (HashStore hs = HashStore.open(storeRoot, below, reporter::warn)) {
        Path tree = stacked || !options.dryRun() ? roots.stackOf(config).ownTree() : config.vdir();
        return new Vhashify(hs, options.withExcludes(excludes), reporter::note).run(tree);
      } catch (IOException e) {
        throw new HostException("cannot release the store lock: " + e.getMessage(), e);
      }
    }
  }
}
