package gaiola.guest;

import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.StateException;
import gaiola.storage.Progress;
import gaiola.template.Compression;
import gaiola.template.Template;
import gaiola.template.TemplateStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The template catalogue as the command line uses it: list, create from a guest, import, delete.
 * Building a guest from a template is {@code build -m template}.
 */
public final class Templates {
  private final HostLayout layout;
  private final Guests guests;
  private final Reporter reporter;
  private final TemplateStore store;

  Templates(HostLayout layout, Guests guests, Reporter reporter) {
    this.layout = layout;
    this.guests = guests;
    this.reporter = reporter;
    this.store = GuestCopies.store(layout);
  }

  public List<Template> list() throws GaiolaException {
    return store.list();
  }

  /**
   * Packs a guest's tree into a new template; a running guest only with {@code force} (its files
   * may change while they are read).
   */
  public Path create(String name, String guest, boolean force, Compression compression) throws GaiolaException {
    TemplateStore.checkName(name);
    store.requireFree(name);
    GuestName g = guests.resolve(guest);
    GuestConfig config = guests.config(g);
    try (GuestLock _ = GuestLock.acquire(layout, g)) {
      if (guests.state(g).isRunning()) {
        if (!force) {
          throw new StateException(
              "guest '" + g + "' is running; its files may change while they are packed",
              "stop it first, or give --force to pack it anyway");
        }
        reporter.warn("guest '" + g + "' is running; the template is packed from a live tree");
      }
      Progress meter = reporter.meter("template " + name);
      try {
        Path file = store.create(name, config.vdir(), compression, meter);
        meter.done();
        return file;
      } finally {
        meter.clear();
      }
    }
  }

  public Template importFile(Path file, Optional<String> name) throws GaiolaException {
    return store.importFile(file, name);
  }

  public Path delete(String name) throws GaiolaException {
    return store.delete(name);
  }
}
