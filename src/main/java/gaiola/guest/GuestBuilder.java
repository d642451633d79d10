package gaiola.guest;

import gaiola.build.BuildMethod;
import gaiola.build.DebianBootstrap;
import gaiola.build.RootTree;
import gaiola.storage.Trees;
import gaiola.config.ContextId;
import gaiola.config.Fstab;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.GuestRegistry;
import gaiola.config.HostLayout;
import gaiola.config.InitConfig;
import gaiola.config.Interface;
import gaiola.config.InterfaceSpec;
import gaiola.config.Uts;
import gaiola.config.VserverDirectory;
import gaiola.error.ConflictException;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.host.ProcessRunner;
import gaiola.host.Rollback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code vserver NAME build}: checks, configuration, root tree — all or nothing. */
final class GuestBuilder {
  private final HostLayout layout;
  private final GuestRegistry registry;
  private final ProcessRunner runner;
  private final Reporter reporter;

  GuestBuilder(HostLayout layout, GuestRegistry registry, ProcessRunner runner, Reporter reporter) {
    this.layout = layout;
    this.registry = registry;
    this.runner = runner;
    this.reporter = reporter;
  }

  GuestConfig build(BuildRequest request) throws GaiolaException {
    GuestCopies copies = new GuestCopies(layout, registry, runner, reporter);
    GuestConfig config = copies.plan(request, plan(request));
    if (request.method() instanceof BuildMethod.Debootstrap) {
      DebianBootstrap.packagesFor(config.init().style());
    }
    Path configDir = layout.configDir(config.name());
    Path vdir = config.vdir();
    boolean vdirExisted = Files.isDirectory(vdir, LinkOption.NOFOLLOW_LINKS);
    try (Rollback undo = new Rollback()) {
      if (vdirExisted) {
        undo.add(() -> Trees.deleteContents(vdir));
      } else {
        undo.step(() -> Files.createDirectories(vdir.getParent()));
        undo.step(() -> Files.createDirectory(vdir));
        undo.add(() -> Trees.delete(vdir));
      }
      undo.step(() -> Files.createDirectories(configDir.getParent()));
      undo.step(() -> Files.createDirectory(configDir));
      undo.add(() -> Trees.delete(configDir));
      undo.step(() -> VserverDirectory.write(configDir, config));
      undo.step(() -> populate(request.method(), vdir, config, copies, undo));
      undo.commit();
      reporter.note("built guest '" + config.name() + "' in " + vdir);
      return config;
    } catch (IOException e) {
      throw new HostException(
          "cannot build guest '" + request.name() + "': " + e.getMessage(),
          "nothing was left behind; fix the cause and build again");
    }
  }

  private void populate(BuildMethod method, Path vdir, GuestConfig config, GuestCopies copies, Rollback undo)
      throws IOException, GaiolaException {
    switch (method) {
      case BuildMethod.Skeleton s -> {
        RootTree.skeleton(vdir);
        RootTree.identity(vdir, config);
      }
      case BuildMethod.Busybox b -> RootTree.busybox(vdir, config, runner);
      case BuildMethod.Debootstrap d ->
          new DebianBootstrap(runner, layout.cacheDir(), Path.of("/etc/apt"), reporter::progress)
              .populate(vdir, config, d);
      case BuildMethod.Template t -> copies.unpack(t, vdir, config);
      case BuildMethod.Clone c -> copies.clone(c, vdir, config, undo);
    }
  }

  /** Every check before anything changes: name, context, hostname, interfaces, vdir. */
  private GuestConfig plan(BuildRequest request) throws GaiolaException {
    GuestName name = request.name();
    if (Files.exists(layout.configDir(name), LinkOption.NOFOLLOW_LINKS)) {
      throw new ConflictException(
          "guest '" + name + "' already exists", "choose another name, or delete it first");
    }
    ContextId context =
        request.context().isPresent() ? request.context().get() : registry.nextFreeContext();
    Optional<GuestName> holder = registry.holderOfContext(context, name);
    if (holder.isPresent()) {
      throw new ConflictException(
          "context " + context + " is already used by guest '" + holder.get() + "'",
          "choose another --context, or leave it out to take the next free one");
    }
    String hostname = Uts.checkHostname("hostname", request.hostname().orElse(name.value()));
    Optional<String> domain = request.domainname().isPresent()
        ? Optional.of(Uts.checkHostname("domain name", request.domainname().get()))
        : Optional.empty();
    List<Interface> interfaces = new ArrayList<>();
    for (String spec : request.interfaces()) {
      interfaces.add(InterfaceSpec.parseSpec(spec, Integer.toString(interfaces.size())));
    }
    InterfaceSpec.checkUnique(interfaces);
    GuestNet.checkDevices(name, interfaces, request.network());
    Path vdir = request.vdir().orElse(layout.vdirBase().resolve(name.value())).toAbsolutePath().normalize();
    if (vdir.getNameCount() == 0) {
      throw new InvalidInputException("root directory '/' cannot be a guest's tree", "leave out --rootdir");
    }
    if (Files.exists(vdir, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(vdir)) {
      throw new ConflictException(
          "root tree " + vdir + " already exists", "remove it, or give the guest another name");
    }
    InitConfig init = request.initStyle().map(InitConfig.DEFAULT::withStyle).orElse(InitConfig.DEFAULT);
    return new GuestConfig(
        name, context, vdir, new Uts(hostname, domain), init, Fstab.defaultEntries(), interfaces, List.of(),
        request.network());
  }

  private static boolean isEmptyDirectory(Path dir) throws GaiolaException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new HostException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }
}
