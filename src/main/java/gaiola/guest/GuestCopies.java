package gaiola.guest;

import gaiola.build.BuildMethod;
import gaiola.build.IdentityFiles;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.GuestRegistry;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.error.StateException;
import gaiola.host.ProcessRunner;
import gaiola.host.Rollback;
import gaiola.storage.Progress;
import gaiola.storage.TreeCopy;
import gaiola.template.TarUnpack;
import gaiola.template.TemplateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Guests made from other trees: {@code -m template} unpacks archives, {@code -m clone} copies a
 * stopped guest (in full, or {@code --layered}: see {@link LayeredClone}); both then rewrite the
 * identity files for the new guest. Everything that can be checked (the archives exist and are
 * archives, the source exists and is stopped) is checked before anything is made.
 */
final class GuestCopies {
  private final HostLayout layout;
  private final GuestRegistry registry;
  private final ProcessRunner runner;
  private final Reporter reporter;
  private final List<Path> archives = new ArrayList<>();
  private GuestConfig source;

  GuestCopies(HostLayout layout, GuestRegistry registry, ProcessRunner runner, Reporter reporter) {
    this.layout = layout;
    this.registry = registry;
    this.runner = runner;
    this.reporter = reporter;
  }

  static TemplateStore store(HostLayout layout) {
    return new TemplateStore(layout.templateDir(), layout.openvzTemplateCache());
  }

  /** Checks the method's input; a clone takes its source's init style, fstab and capabilities. */
  GuestConfig plan(BuildRequest request, GuestConfig planned) throws GaiolaException {
    switch (request.method()) {
      case BuildMethod.Template t -> {
        TemplateStore store = store(layout);
        for (String name : t.templates()) {
          Path archive = store.resolve(name);
          try {
            TarUnpack.compressionOf(archive);
          } catch (IOException e) {
            throw new InvalidInputException(e.getMessage(), "give a tar archive (plain, gzip, bzip2, xz or zstd)");
          }
          archives.add(archive);
        }
        return planned;
      }
      case BuildMethod.Clone c -> {
        if (!registry.exists(c.source())) {
          throw Guests.notFound(c.source());
        }
        source = registry.load(c.source(), reporter::note);
        requireStopped(c.source());
        if (c.layered()) {
          new LayeredClone(layout, runner, reporter).check(source, planned.vdir());
        }
        return new GuestConfig(
            planned.name(), planned.context(), planned.vdir(), planned.uts(),
            request.initStyle().isPresent() ? planned.init() : source.init(),
            source.fstab(), planned.interfaces(), source.bcapabilities(), planned.network());
      }
      default -> {
        return planned;
      }
    }
  }

  private void requireStopped(GuestName name) throws GaiolaException {
    try {
      if (RunRecord.read(layout, name).filter(RunRecord::initAlive).isPresent()) {
        throw new StateException(
            "guest '" + name + "' is running; a running guest cannot be copied consistently",
            "stop it first with 'gaiola vserver " + name + " stop'");
      }
    } catch (IOException e) {
      throw new HostException("cannot read the state of " + name + ": " + e.getMessage(), e);
    }
  }

  void unpack(BuildMethod.Template t, Path vdir, GuestConfig config) throws IOException, GaiolaException {
    for (int i = 0; i < archives.size(); i++) {
      Path archive = archives.get(i);
      Progress meter = reporter.meter("unpack " + t.templates().get(i));
      try {
        TarUnpack.unpack(archive, vdir, meter);
        meter.done();
      } catch (IOException e) {
        throw new IOException(archive.getFileName() + ": " + e.getMessage(), e);
      } finally {
        meter.clear();
      }
    }
    note(IdentityFiles.rewrite(vdir, config, Optional.empty()));
  }

  /** Copies the source into {@code vdir}; a layered clone puts the undo of its layers into {@code undo}. */
  void clone(BuildMethod.Clone c, Path vdir, GuestConfig config, Rollback undo) throws IOException, GaiolaException {
    // The source's lock keeps it from being started (or deleted) while it is read.
    try (GuestLock _ = GuestLock.acquire(layout, c.source())) {
      requireStopped(c.source());
      if (c.layered()) {
        new LayeredClone(layout, runner, reporter).make(source, config, undo);
      } else {
        // A unified or union source is read through its overlay, which a host reboot unmounted.
        new GuestRoots(layout, runner).prepare(source);
        Progress meter = reporter.meter("clone " + c.source());
        try {
          TreeCopy.copy(source.vdir(), vdir, meter);
          meter.done();
        } finally {
          meter.clear();
        }
      }
    }
    // Through a layered clone's overlay: the rewritten files land in its private branch.
    note(IdentityFiles.rewrite(vdir, config, Optional.of(source)));
  }

  private void note(List<String> changed) {
    if (!changed.isEmpty()) {
      reporter.note("identity files rewritten: " + String.join(", ", changed));
    }
  }
}
