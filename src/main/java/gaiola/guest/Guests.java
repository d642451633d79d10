package gaiola.guest;

import gaiola.config.ContextId;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.Interface;
import gaiola.network.BindingTrap;
import gaiola.network.GuestLink;
import gaiola.network.GuestNetwork;
import gaiola.network.LinkState;
import gaiola.network.NetworkPlan;
import gaiola.network.SystemHostLinks;
import java.util.LinkedHashMap;
import java.util.Map;
import gaiola.config.GuestRegistry;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.error.NotFoundException;
import gaiola.error.StateException;
import gaiola.host.Completion;
import gaiola.host.Pidfd;
import gaiola.host.Privileges;
import gaiola.host.ProcessRunner;
import gaiola.host.Programs;
import gaiola.host.SystemProcessRunner;
import gaiola.runtime.OciRuntime;
import gaiola.runtime.runc.RuncRuntime;
import gaiola.storage.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operations on guests: the only API the command line (and later the daemon) calls. Each
 * operation that changes a guest holds that guest's lock, so operations on one guest are
 * serialised while different guests proceed in parallel.
 */
public final class Guests {
  private final HostLayout layout;
  private final ProcessRunner runner;
  private final Reporter reporter;
  private final GuestRegistry registry;
  private OciRuntime runtime;

  public Guests(HostLayout layout, ProcessRunner runner, Reporter reporter) {
    this.layout = layout;
    this.runner = runner;
    this.reporter = reporter;
    this.registry = new GuestRegistry(layout);
  }

  private Forgetting forgetting = Forgetting.AT_ONCE;

  /**
   * Lets {@link #stop} reply before runc's delete of the dead container, which then runs on
   * {@code executor} with the guest's lock held (the daemon; see {@link Forgetting}).
   */
  public Guests forgettingLater(java.util.concurrent.Executor executor, java.util.function.Consumer<String> log) {
    this.forgetting = new Forgetting(executor, log);
    return this;
  }

  /** The engine on the real host, running real programs. */
  public static Guests onHost(HostLayout layout, Reporter reporter) {
    return new Guests(layout, new SystemProcessRunner(), reporter);
  }

  public HostLayout layout() {
    return layout;
  }

  private OciRuntime runtime() throws GaiolaException {
    if (runtime == null) {
      runtime = new RuncRuntime(runner, layout.runcRoot(), Programs.require("runc").toString());
    }
    return runtime;
  }

  /** Every guest configured on this host, by name. */
  public List<GuestName> list() throws GaiolaException {
    return registry.names();
  }

  /**
   * Resolves what the user typed: a guest's name, or (as util-vserver allows) its context id.
   */
  public GuestName resolve(String nameOrContext) throws GaiolaException {
    if (nameOrContext.matches("\\d{1,5}")) {
      Optional<GuestName> byCtx = registry.byContext(ContextId.parse(nameOrContext));
      if (byCtx.isPresent()) {
        return byCtx.get();
      }
    }
    GuestName name = GuestName.parse(nameOrContext);
    if (!registry.exists(name)) {
      throw notFound(name);
    }
    return name;
  }

  static NotFoundException notFound(GuestName name) {
    return new NotFoundException(
        "guest '" + name + "' does not exist",
        "see 'gaiola list', or create it with 'gaiola vserver " + name + " build -m busybox'");
  }

  public GuestConfig config(GuestName name) throws GaiolaException {
    return registry.load(name, reporter::note);
  }

  /** Builds a new guest: configuration and root tree; a failure leaves nothing behind. */
  public GuestConfig build(BuildRequest request) throws GaiolaException {
    try (GuestLock _ = GuestLock.acquire(layout, request.name())) {
      return new GuestBuilder(layout, registry, runner, reporter).build(request);
    }
  }

  /** The guest's state, after clearing what a guest that died behind our back left. */
  public GuestState state(GuestName name) throws GaiolaException {
    try {
      Optional<RunRecord> rec = RunRecord.read(layout, name);
      if (rec.isPresent() && rec.get().initAlive()) {
        RunRecord r = rec.get();
        return new GuestState.Running(r.initPid(), Instant.ofEpochMilli(r.startedAtMillis()));
      }
      return new GuestState.Stopped();
    } catch (IOException e) {
      throw new HostException("cannot read the state of " + name + ": " + e.getMessage(), e);
    }
  }

  /** Starts the guest; starting a running guest is a no-op with a warning, as in util-vserver. */
  public GuestState.Running start(GuestName name) throws GaiolaException {
    return (GuestState.Running) startAndReport(name, false).state();
  }

  /**
   * Starts the guest as {@link #start} does and reports it as {@link #status} would, from the
   * configuration it started with (the daemon's answer, without loading it again).
   */
  public GuestStatus startAndReport(GuestName name) throws GaiolaException {
    return startAndReport(name, true);
  }

  private GuestStatus startAndReport(GuestName name, boolean count) throws GaiolaException {
    Privileges.requireRoot("starting a guest");
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      GuestConfig config = config(name);
      GuestState.Running r;
      if (state(name) instanceof GuestState.Running running) {
        reporter.warn("guest '" + name + "' is already running");
        r = running;
      } else {
        Lifecycle lifecycle = new Lifecycle(layout, runtime(), reporter, runner);
        lifecycle.cleanStale(config);
        r = lifecycle.boot(config);
      }
      return count ? status(config, r) : new GuestStatus(config, r, 0, Duration.ZERO);
    }
  }

  /** Stops the guest and waits until none of its processes is left; a stopped guest is a no-op. */
  public void stop(GuestName name) throws GaiolaException {
    stop(name, false);
  }

  /**
   * Stops a running guest; {@code fast} (OpenVZ's {@code stop --fast}) kills its processes at once
   * instead of shutting it down from inside.
   */
  public void stop(GuestName name, boolean fast) throws GaiolaException {
    Privileges.requireRoot("stopping a guest");
    GuestLock lock = GuestLock.acquire(layout, name);
    try {
      GuestConfig config = config(name);
      Lifecycle lifecycle = new Lifecycle(layout, runtime(), reporter, runner);
      if (!(state(name) instanceof GuestState.Running r)) {
        lifecycle.cleanStale(config);
        reporter.warn("guest '" + name + "' is not running");
        return;
      }
      if (lifecycle.halt(config, r, fast) && forgetting.forget(lifecycle, name, lock)) {
        lock = null; // the task closes it
      }
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  /**
   * Waits for a running guest to end, as its parent, and reports how: only the process that
   * started it while being a child subreaper can know ({@code start --foreground}, the daemon).
   */
  public Optional<GuestEnd> awaitEnd(GuestName name) throws GaiolaException {
    // An init that already ended but is not yet collected still counts: its end is ours to read.
    RunRecord r;
    try {
      r = RunRecord.read(layout, name).filter(RunRecord::initExists).orElse(null);
    } catch (IOException e) {
      throw new HostException("cannot read the state of " + name + ": " + e.getMessage(), e);
    }
    if (r == null) {
      throw new StateException("guest '" + name + "' is not running", null);
    }
    Optional<Pidfd> fd = Pidfd.open(r.initPid());
    if (fd.isEmpty()) {
      return Optional.empty();
    }
    try (Pidfd pidfd = fd.get()) {
      Optional<Pidfd.End> end = pidfd.reap();
      try (GuestLock _ = GuestLock.acquire(layout, name)) {
        new Lifecycle(layout, runtime(), reporter, runner).cleanStale(name);
      }
      return end.map(GuestEnd::of);
    }
  }

  public void restart(GuestName name) throws GaiolaException {
    stop(name);
    start(name);
  }

  /**
   * Adds an interface entry ({@code [NAME=][DEV:]IP/PREFIX}) with optional gateway, MTU and MAC to
   * a stopped guest.
   */
  public Interface addInterface(
      GuestName name, String spec, Optional<String> gateway, Optional<String> mtu, Optional<String> mac)
      throws GaiolaException {
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      requireStopped(name, "add an interface");
      return GuestInterfaces.add(layout, config(name), spec, new GuestInterfaces.LinkOptions(gateway, mtu, mac));
    }
  }

  /** Removes the interface entry of a stopped guest named by index, link name or address. */
  public Interface removeInterface(GuestName name, String key) throws GaiolaException {
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      requireStopped(name, "remove an interface");
      return GuestInterfaces.remove(layout, config(name), key);
    }
  }

  /** The guest's links: planned from its configuration and, when it runs, as they are. */
  public NetworkView network(GuestName name) throws GaiolaException {
    GuestConfig config = config(name);
    GuestState state = state(name);
    List<GuestLink> links = List.of();
    Optional<String> problem = Optional.empty();
    try {
      links = NetworkPlan.plan(config, layout, new SystemHostLinks(runner));
    } catch (InvalidInputException e) {
      problem = Optional.of(e.getMessage());
    }
    List<LinkState> inside = List.of();
    Map<String, String> ends = new LinkedHashMap<>();
    if (state instanceof GuestState.Running r) {
      if (!config.network().hostStack()) {
        Privileges.requireRoot("looking into a guest's network");
        inside = new GuestNetwork(runner).inside(r.initPid());
      }
      for (GuestLink l : links) {
        l.hostEnd().ifPresent(e -> ends.put(e, GuestNetwork.hostEndState(e)));
      }
    }
    return new NetworkView(config, state.isRunning(), links, problem, inside, ends);
  }

  /**
   * The address binding trap: host processes listening on a wildcard address on a port that a
   * running guest serves.
   */
  public List<BindingTrap.Finding> bindingTrap() throws GaiolaException {
    Privileges.requireRoot("checking the host's listening sockets");
    return GuestListeners.bindingTrap(running());
  }

  void requireStopped(GuestName name, String what) throws GaiolaException {
    if (state(name).isRunning()) {
      throw new StateException(
          "guest '" + name + "' is running; cannot " + what + " now",
          "stop it first with 'gaiola vserver " + name + " stop'");
    }
  }

  /** Runs a command inside as root with our stdio; returns the command's exit status. */
  public int exec(GuestName name, List<String> argv) throws GaiolaException {
    requireRunning(name, "exec");
    return runtime().execAttached(name.value(), argv, false, null);
  }

  /** Runs a command inside as root and returns its status and output (stdin is empty). */
  public Completion execCaptured(GuestName name, List<String> argv) throws GaiolaException {
    requireRunning(name, "exec");
    return runtime().execCaptured(name.value(), argv);
  }

  /** The name of the guest's cgroup, below the cgroup of whoever started it. */
  public String cgroupName(GuestName name) {
    return Lifecycle.cgroupsPath(layout, name);
  }

  /** Runs a command inside as a guest user (name or uid); returns its exit status. */
  public int suexec(GuestName name, String user, List<String> argv) throws GaiolaException {
    requireRunning(name, "suexec");
    String ids = GuestUsers.resolve(config(name).vdir(), user);
    return runtime().execAttached(name.value(), argv, false, ids);
  }

  /**
   * Starts a command inside, as root or as a guest user (name or uid), with pipes to its stdin,
   * stdout and stderr: the daemon's streamed exec. {@code env} entries are "NAME=value".
   */
  public ExecSession execPiped(GuestName name, List<String> argv, String user, List<String> env)
      throws GaiolaException {
    requireRunning(name, user == null ? "exec" : "suexec");
    String ids = user == null ? null : GuestUsers.resolve(config(name).vdir(), user);
    Path pidFile = ExecSession.pidFile(layout, name);
    return new ExecSession(runtime().execPiped(name.value(), argv, ids, env, pidFile), pidFile);
  }

  /** An interactive login shell inside, with a terminal when we have one. */
  public int enter(GuestName name, boolean terminal) throws GaiolaException {
    requireRunning(name, "enter");
    return runtime().execAttached(name.value(), shell(name), terminal, null);
  }

  /** util-vserver's order: the {@code shell} file, else bash, else sh, as a login shell. */
  private List<String> shell(GuestName name) throws GaiolaException {
    Path file = layout.configDir(name).resolve("shell");
    try {
      if (Files.isRegularFile(file)) {
        List<String> argv = List.of(Files.readString(file).strip().split("\\s+"));
        if (!argv.getFirst().isEmpty()) {
          return argv;
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(name + "/shell: cannot be read: " + e.getMessage());
    }
    Path vdir = config(name).vdir();
    return Files.exists(vdir.resolve("bin/bash"))
        ? List.of("/bin/bash", "-l")
        : List.of("/bin/sh", "-l");
  }

  private GuestState.Running requireRunning(GuestName name, String what) throws GaiolaException {
    Privileges.requireRoot(what);
    if (state(name) instanceof GuestState.Running r) {
      return r;
    }
    throw new StateException(
        "guest '" + name + "' is not running", "start it with 'gaiola vserver " + name + " start'");
  }

  /** Running or not, init, process count and uptime. */
  public GuestStatus status(GuestName name) throws GaiolaException {
    GuestConfig config = config(name);
    GuestState state = state(name);
    if (state instanceof GuestState.Running r) {
      return status(config, r);
    }
    return new GuestStatus(config, state, 0, Duration.ZERO);
  }

  private static GuestStatus status(GuestConfig config, GuestState.Running r) throws GaiolaException {
    int processes = Lifecycle.processes(r.initPid()).size();
    return new GuestStatus(config, r, processes, Duration.between(r.since(), Instant.now()));
  }

  /** The running guests with their inits, for vps and vserver-stat. */
  public List<RunningGuest> running() throws GaiolaException {
    List<RunningGuest> result = new ArrayList<>();
    for (GuestName name : list()) {
      try {
        if (state(name) instanceof GuestState.Running r) {
          result.add(new RunningGuest(config(name), r));
        }
      } catch (GaiolaException e) {
        reporter.note(name + ": skipped: " + e.getMessage());
      }
    }
    return result;
  }

  /** A running guest and its state, as listed by {@link #running()}. */
  public record RunningGuest(GuestConfig config, GuestState.Running state) {}

  /**
   * The guest's root tree even when the rest of its configuration is broken: a guest whose fstab
   * or context no longer parses must still be deletable.
   */
  private Path vdirOf(GuestName name) throws IOException {
    try {
      return config(name).vdir();
    } catch (GaiolaException e) {
      Path link = layout.configDir(name).resolve("vdir");
      return Files.isSymbolicLink(link)
          ? link.getParent().resolve(Files.readSymbolicLink(link))
          : layout.vdirBase().resolve(name.value());
    }
  }

  /** Removes configuration and tree; a running guest only with {@code force}, which stops it. */
  public void delete(GuestName name, boolean force) throws GaiolaException {
    Privileges.requireRoot("deleting a guest");
    if (state(name).isRunning()) {
      if (!force) {
        throw new StateException(
            "guest '" + name + "' is running", "stop it first, or delete with --force");
      }
      stop(name);
    }
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      new Lifecycle(layout, runtime(), reporter, runner).cleanStale(name);
      Path vdir = vdirOf(name);
      // A layered root: the overlay comes off and the private layers go before the tree.
      new GuestRoots(layout, runner).dismantle(name, vdir);
      if (Files.exists(vdir)) {
        if (vdir.toRealPath().getNameCount() == 0) {
          throw new InvalidInputException(name + "/vdir resolves to '/'; refusing to delete it");
        }
        Trees.delete(vdir.toRealPath());
      }
      Trees.delete(layout.configDir(name));
      new ConsoleLog(layout, name).removeAll();
    } catch (IOException e) {
      throw new HostException("cannot delete guest '" + name + "': " + e.getMessage(), e);
    }
  }

  /** The template catalogue: list, create from a guest, import, delete. */
  public Templates templates() {
    return new Templates(layout, this, reporter);
  }

  /** util-vserver's vhashify of one guest against its store (see {@link GuestUnification}). */
  public gaiola.storage.unify.Vhashify.Result vhashify(
      GuestName name, gaiola.storage.unify.Vhashify.Options options, Optional<Path> store, Optional<Path> excludeFile)
      throws GaiolaException {
    return new GuestUnification(this, layout, runner, reporter).run(name, options, store, excludeFile);
  }

  /** The guest's root branches: {@code union list|add|remove|hide|mount}. */
  public Unions unions() {
    return new Unions(this, layout, runner, registry);
  }

  /**
   * After a guest's init ended by itself (the daemon saw it): removes what the guest left, under
   * its lock. False when the guest was meanwhile stopped and cleaned by someone else (a stop from
   * the command line), so the end was not the guest's own doing.
   */
  public boolean cleanAfterEnd(GuestName name, long initPid) throws GaiolaException {
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      Optional<RunRecord> rec = RunRecord.read(layout, name);
      if (rec.isEmpty() || rec.get().initPid() != initPid) {
        return false;
      }
      new Lifecycle(layout, runtime(), reporter, runner).cleanStale(name);
      return true;
    } catch (IOException e) {
      throw new HostException("cannot read the state of " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Clears what a guest that died while nobody watched left behind (run record, runc container,
   * host links); true when there was something to clear.
   */
  public boolean cleanIfDead(GuestName name) throws GaiolaException {
    try (GuestLock _ = GuestLock.acquire(layout, name)) {
      if (state(name).isRunning()) {
        return false;
      }
      boolean left =
          Files.exists(RunRecord.file(layout, name))
              || Files.isDirectory(layout.runcRoot().resolve(name.value()));
      if (left) {
        new Lifecycle(layout, runtime(), reporter, runner).cleanStale(name);
      }
      return left;
    }
  }

  /** The guest's log: its init's console output and what its action scripts printed. */
  public Path logFile(GuestName name) {
    return log(name).file();
  }

  /** The guest's log with its rotated files. */
  public ConsoleLog log(GuestName name) {
    return new ConsoleLog(layout, name);
  }
}
