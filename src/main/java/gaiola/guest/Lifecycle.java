package gaiola.guest;

import gaiola.cgroup.GuestCgroup;
import gaiola.config.FstabEntry;
import gaiola.config.Fstab;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.GuestRegistry;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.host.Pidfd;
import gaiola.host.ProcessRunner;
import gaiola.host.SystemProcessRunner;
import gaiola.host.Programs;
import gaiola.host.Rollback;
import gaiola.host.Signals;
import gaiola.network.GuestLink;
import gaiola.runtime.OciRuntime;
import gaiola.runtime.OciSpec;
import gaiola.runtime.SpecBuilder;
import gaiola.runtime.SpecJson;
import gaiola.scripts.ActionScripts;
import gaiola.scripts.Phase;
import gaiola.storage.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Start and stop of one guest: the OCI bundle, runc's create, its network, start, the kill
 * sequence.
 */
final class Lifecycle {
  /** How long a guest with its own init may take to power off before the kill sequence. */
  static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final HostLayout layout;
  private final OciRuntime runtime;
  private final Reporter reporter;
  private final GuestNet net;
  private final ProcessRunner runner;
  private final ActionScripts scripts;

  Lifecycle(HostLayout layout, OciRuntime runtime, Reporter reporter) {
    this(layout, runtime, reporter, new SystemProcessRunner());
  }

  Lifecycle(HostLayout layout, OciRuntime runtime, Reporter reporter, ProcessRunner runner) {
    this.layout = layout;
    this.runtime = runtime;
    this.reporter = reporter;
    this.net = new GuestNet(layout, runner, reporter);
    this.runner = runner;
    this.scripts = new ActionScripts(layout, runner);
  }

  Path bundle(GuestName name) {
    return layout.runDir().resolve("bundles").resolve(name.value());
  }

  Path console(GuestName name) {
    return layout.logDir().resolve(name.value() + ".log");
  }

  /**
   * The guest's cgroup, relative so that runc nests it below our own; a private root adds its own
   * tag so that test guests never collide with the host's.
   */
  static String cgroupsPath(HostLayout layout, GuestName name) {
    if (layout.equals(HostLayout.SYSTEM)) {
      return "gaiola-" + name;
    }
    byte[] h = layout.root().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return "gaiola-" + HexFormat.of().toHexDigits(java.util.Arrays.hashCode(h)) + "-" + name;
  }

  GuestState.Running boot(GuestConfig config) throws GaiolaException {
    GuestName name = config.name();
    // A layered (unified or union) root is an overlay that must stand before the tree is checked.
    new GuestRoots(layout, runner).prepare(config);
    Path vdir = checkVdir(config);
    boolean ownInit = config.init().style().ownInit();
    List<String> pid1;
    Path reaper = null;
    if (ownInit) {
      pid1 = config.init().ownInitCommand();
      requireInGuest(config, pid1.getFirst(), "init");
    } else {
      reaper = Programs.require("catatonit");
      pid1 = List.of(SpecBuilder.REAPER_PATH, "-P");
      List<String> cmd = config.init().effectiveStartCommand();
      requireInGuest(config, cmd.getFirst(), "start command");
    }
    OciSpec spec = SpecBuilder.build(config, pid1, reaper, cgroupsPath(layout, name), reporter::note);
    List<GuestLink> links = net.prepare(config);
    Path bundle = bundle(name);
    Path console = console(name);
    rotateLog(name);
    try (Rollback undo = new Rollback()) {
      runScripts(config, Phase.INITIALIZE, console);
      runScripts(config, Phase.MOUNT, console);
      undo.add(() -> runScripts(config, Phase.UMOUNT, console));
      runScripts(config, Phase.PREPRE_START, console);
      undo.step(() -> writeBundle(bundle, spec));
      undo.add(() -> Trees.delete(bundle));
      undo.step(() -> Files.createDirectories(console.getParent()));
      // Registered before create: a create that fails half-way leaves runc state to remove. An
      // init runc made is ours to collect once the delete has killed it, when we are its subreaper
      // (the daemon), or each refused start would leave a zombie.
      long[] made = {0};
      undo.add(() -> {
        forceDelete(name);
        collect(made[0]);
      });
      long initPid;
      if (links.isEmpty() && !hasReadOnlyBinds(config) && scripts.find(config, Phase.PRE_START).isEmpty()) {
        // Nothing to do between create and start: one runc run fewer.
        initPid = runtime.run(name.value(), bundle, console);
        made[0] = initPid;
      } else {
        initPid = runtime.create(name.value(), bundle, console);
        made[0] = initPid;
        verifyReadOnlyBinds(config, initPid);
        // Between create and start: the init's namespace exists, the guest's programs do not run yet.
        net.attach(links, initPid, undo);
        runScripts(config, Phase.PRE_START, console);
        runtime.start(name.value());
      }
      Instant since = Instant.now();
      long ticks =
          RunRecord.startTicks(initPid)
              .orElseThrow(() -> new HostException("guest '" + name + "' ended right after start; see " + console));
      RunRecord rec = new RunRecord(initPid, ticks, since.toEpochMilli(), cgroupsPath(layout, name));
      undo.step(() -> rec.write(layout, name));
      undo.add(() -> RunRecord.remove(layout, name));
      List<String> startCmd = config.init().effectiveStartCommand();
      if (!startCmd.isEmpty()) {
        int status = runtime.execLogged(name.value(), startCmd, console);
        if (status != 0) {
          reporter.warn(
              "guest '" + name + "': '" + String.join(" ", startCmd) + "' exited with " + status
                  + "; see " + console);
        }
      }
      runScripts(config, Phase.POST_START, console);
      runInGuest(config, "start", console);
      undo.commit();
      return new GuestState.Running(initPid, since);
    } catch (IOException e) {
      throw new HostException("cannot start guest '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * A log over its limit is rotated before the guest writes to it again (without the daemon, the
   * only time it is): nothing writes to it now, so nothing is lost.
   */
  private void rotateLog(GuestName name) {
    try {
      new ConsoleLog(layout, name).rotateIfOverLimit();
    } catch (GaiolaException e) {
      reporter.warn(e.oneLine() + "; the log is not rotated");
    }
  }

  private static void writeBundle(Path bundle, OciSpec spec) throws IOException {
    Files.createDirectories(bundle);
    Path tmp = bundle.resolve("config.json.tmp");
    try (var out = Files.newOutputStream(tmp)) {
      SpecJson.write(spec, out);
    }
    Files.move(tmp, bundle.resolve("config.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static Path checkVdir(GuestConfig config) throws GaiolaException {
    Path vdir = config.vdir();
    try {
      if (!Files.isDirectory(vdir)) {
        throw new InvalidInputException(
            config.name() + ": root tree " + vdir + " does not exist or is not a directory",
            "build the guest first, or fix " + config.name() + "/vdir");
      }
      if (vdir.toRealPath().getNameCount() == 0) {
        throw new InvalidInputException(
            config.name() + "/vdir resolves to '/'", "point it at the guest's own root tree");
      }
      return vdir.toRealPath();
    } catch (IOException e) {
      throw new HostException("cannot read " + vdir + ": " + e.getMessage(), e);
    }
  }

  private static void requireInGuest(GuestConfig config, String program, String what)
      throws GaiolaException {
    Path p = Fstab.resolveInside(config.vdir(), program);
    if (!Files.isExecutable(p)) {
      throw new InvalidInputException(
          config.name() + ": " + what + " '" + program + "' is missing in " + config.vdir(),
          "fill the root tree (e.g. from a stage3 or a template), or set apps/init/style or cmd.start");
    }
  }

  private static boolean hasReadOnlyBinds(GuestConfig config) {
    return config.fstab().stream().anyMatch(e -> e.isBind() && e.readOnly());
  }

  /**
   * A {@code bind,ro} line must really be read-only inside (plain mount(8) ignores ro with bind):
   * runc remounts it; here we read the init's mount table and refuse to go on if it is writable.
   */
  private static void verifyReadOnlyBinds(GuestConfig config, long initPid) throws GaiolaException {
    List<FstabEntry> ro = config.fstab().stream().filter(e -> e.isBind() && e.readOnly()).toList();
    if (ro.isEmpty()) {
      return;
    }
    List<String> mountinfo;
    try {
      mountinfo = Files.readAllLines(Path.of("/proc", Long.toString(initPid), "mountinfo"));
    } catch (IOException e) {
      throw new HostException("cannot read the guest's mount table: " + e.getMessage(), e);
    }
    for (FstabEntry e : ro) {
      String target = Path.of(e.target()).normalize().toString();
      boolean readOnly = false;
      for (String line : mountinfo) {
        String[] f = line.split(" ");
        // The last entry for a mount point is the one on top, which is what the guest sees.
        if (f.length > 5 && f[4].equals(target)) {
          readOnly = List.of(f[5].split(",")).contains("ro");
        }
      }
      if (!readOnly) {
        throw new HostException(
            config.name() + "/fstab: bind mount of " + e.source() + " on " + target
                + " is not read-only inside the guest; refusing to start");
      }
    }
  }

  /**
   * Stops a running guest: stop command or signal, kill sequence, host links, post-stop scripts.
   * Returns true when runc still holds the dead container, for {@link #forget} (false when a stale
   * guest was cleaned up entirely).
   */
  boolean halt(GuestConfig config, GuestState.Running running, boolean fast) throws GaiolaException {
    GuestName name = config.name();
    Optional<Pidfd> opened = Pidfd.open(running.initPid());
    if (opened.isEmpty()) {
      cleanStale(config);
      return false;
    }
    try (Pidfd init = opened.get()) {
      if (fast) {
        runScripts(config, Phase.PRE_STOP, console(name));
        // OpenVZ's stop --fast: no shutdown inside. The kernel kills every process of a PID
        // namespace whose init dies, and the pidfd turns readable only once they are all gone.
        init.signal(Signals.SIGKILL);
        if (!init.awaitExit(Duration.ofSeconds(10))) {
          throw new HostException(
              "guest '" + name + "': its processes did not end within 10 s of SIGKILL (stuck in the kernel?); try stop again");
        }
        init.reap();
      } else {
        shutDown(config, init);
      }
    }
    // Every process is gone: host ends of links, the scripts and our files; runc's record last.
    net.release(config);
    afterStop(config);
    removeFiles(name);
    return true;
  }

  /** runc's delete of a container whose processes are all gone (no polling, no signal). */
  void forget(GuestName name) throws GaiolaException {
    runtime.delete(name.value(), false);
  }

  /** The graceful way down: in-guest stop script, stop command or power-off, kill sequence. */
  private void shutDown(GuestConfig config, Pidfd init) throws GaiolaException {
    GuestName name = config.name();
    boolean ownInit = config.init().style().ownInit();
    List<String> stopCmd = config.init().effectiveStopCommand();
    AtomicBoolean overdue = new AtomicBoolean();
    GuestKill.bounded(init, overdue, STOP_GRACE, () -> runInGuest(config, "stop", console(name)));
    runScripts(config, Phase.PRE_STOP, console(name));
    GuestKill.bounded(init, overdue, STOP_GRACE, () -> {
      if (!stopCmd.isEmpty()) {
        int status = runtime.execLogged(name.value(), stopCmd, console(name));
        if (status != 0 && !overdue.get()) {
          reporter.note(name + ": '" + String.join(" ", stopCmd) + "' exited with " + status);
        }
      } else if (ownInit) {
        InitFlavour flavour = InitFlavour.of(config);
        if (flavour.powerOffSignal() != 0) {
          init.signal(flavour.powerOffSignal());
        } else {
          runtime.execLogged(name.value(), flavour.stopCommand(), console(name));
        }
      }
    });
    if (overdue.get()) {
      reporter.warn("guest '" + name + "': its stop did not end within " + STOP_GRACE.toSeconds()
          + " s; its processes were killed");
    }
    if (ownInit) {
      init.awaitExit(STOP_GRACE);
    }
    GuestKill.sequence(config.init().killSequence(), init, ownInit);
    // A reaper (catatonit) ends on SIGTERM; a guest init that ignored everything gets SIGKILL.
    init.signal(ownInit ? Signals.SIGKILL : Signals.SIGTERM);
    if (!init.awaitExit(Duration.ofSeconds(5))) {
      init.signal(Signals.SIGKILL);
      init.awaitExit(Duration.ofSeconds(5));
    }
    // When we are its parent (start --foreground, the daemon), collect it: no zombie is left.
    init.reap();
  }


  /** Every process of the guest whose init is {@code initPid} (host PIDs). */
  static List<Long> processes(long initPid) throws GaiolaException {
    try {
      Optional<GuestCgroup> cg = GuestCgroup.of(initPid);
      return cg.isPresent() ? cg.get().processes() : List.of();
    } catch (IOException e) {
      throw new HostException("cannot list the guest's processes: " + e.getMessage(), e);
    }
  }

  /** Removes what a stopped or dead guest left: runc's container, bundle, run record. */
  void cleanStale(GuestName name) throws GaiolaException {
    GuestConfig config = null;
    try {
      config = new GuestRegistry(layout).load(name, reporter::note);
    } catch (GaiolaException e) {
      // A guest whose configuration no longer loads (delete must still work) made no links since.
      reporter.note(name + ": host links not checked: " + e.getMessage());
    }
    cleanStale(name, config);
  }

  /** {@link #cleanStale(GuestName)} with the configuration the caller has just loaded. */
  void cleanStale(GuestConfig config) throws GaiolaException {
    cleanStale(config.name(), config);
  }

  private void cleanStale(GuestName name, GuestConfig config) throws GaiolaException {
    forceDelete(name);
    if (config != null) {
      net.release(config);
      afterStop(config);
    }
    removeFiles(name);
  }

  /**
   * The scripts after a stop, when the guest had been started (its run record is still there), so
   * that each {@code umount} follows a {@code mount}.
   */
  private void afterStop(GuestConfig config) throws GaiolaException {
    if (!Files.exists(RunRecord.file(layout, config.name()))) {
      return;
    }
    Path console = console(config.name());
    runScripts(config, Phase.POST_STOP, console);
    runScripts(config, Phase.UMOUNT, console);
    runScripts(config, Phase.POSTPOST_STOP, console);
  }

  /**
   * Runs a phase's host scripts: a failure before the guest runs aborts the start (and is rolled
   * back), a later one is a warning.
   */
  private void runScripts(GuestConfig config, Phase phase, Path console) throws GaiolaException {
    Optional<String> failure = scripts.run(config, phase, console);
    if (failure.isEmpty()) {
      return;
    }
    String text = "guest '" + config.name() + "': " + phase.fileName() + " script " + failure.get();
    if (phase.abortsStart()) {
      throw new HostException(text, "fix the script; the guest was not started");
    }
    reporter.warn(text);
  }

  /** OpenVZ's in-guest {@code start}/{@code stop} script, through the guest's shell. */
  private void runInGuest(GuestConfig config, String phase, Path console) throws GaiolaException {
    Optional<String> text = scripts.inGuest(config, phase);
    if (text.isPresent()) {
      int status = runtime.execLogged(config.name().value(), List.of("/bin/sh", "-c", text.get()), console);
      if (status != 0) {
        reporter.warn("guest '" + config.name() + "': scripts/" + phase + " (inside) exited with " + status + "; see " + console);
      }
    }
  }

  private void removeFiles(GuestName name) throws GaiolaException {
    try {
      Trees.delete(bundle(name));
      RunRecord.remove(layout, name);
    } catch (IOException e) {
      throw new HostException("cannot clean up after guest '" + name + "': " + e.getMessage(), e);
    }
  }

  /** Reaps a dead init when it is our child; nothing when it is not (or never was made). */
  private static void collect(long initPid) throws GaiolaException {
    if (initPid <= 0) {
      return;
    }
    Optional<Pidfd> fd = Pidfd.open(initPid);
    if (fd.isPresent()) {
      try (Pidfd init = fd.get()) {
        if (init.awaitExit(Duration.ofSeconds(10))) {
          init.reap();
        }
      }
    }
  }

  private void forceDelete(GuestName name) throws GaiolaException {
    Optional<OciRuntime.ContainerState> st = runtime.state(name.value());
    if (st.isPresent()) {
      runtime.delete(name.value(), st.get().running());
    }
  }
}
