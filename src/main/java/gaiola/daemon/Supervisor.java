package gaiola.daemon;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.InvalidInputException;
import gaiola.guest.GuestEnd;
import gaiola.guest.GuestState;
import gaiola.guest.GuestStatus;
import gaiola.guest.Guests;
import gaiola.host.InitTracer;
import gaiola.host.Pidfd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Watches the guests' inits and acts on their ends: {@code reboot} starts the guest again, {@code
 * halt} leaves it stopped, any other end follows the guest's restart policy. The daemon is a child
 * subreaper, so the inits it starts are its children and their pidfds tell how they ended; inits
 * adopted after a restart of the daemon are traced instead ({@link InitTracer}).
 *
 * <p>Every operation on a guest holds that guest's supervision lock, so a stop never races with
 * the handling of the same guest's end.
 */
final class Supervisor implements AutoCloseable {
  /** A guest that ran this long before it ended has its failure count start again from zero. */
  static final Duration STABLE = Duration.ofSeconds(60);

  /** The longest a newly watched init waits before the watcher polls it. */
  private static final Duration ROUND = Duration.ofMillis(250);

  private final HostLayout layout;
  private final Function<String, Guests> engine;
  private final Events events;
  private final Consumer<String> log;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Pidfd> retired = new ConcurrentLinkedQueue<>();
  private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread watcher;
  private volatile boolean open = true;

  /** A watched init. {@code generation} tells a pending restart whether the guest changed since. */
  private static final class Watched {
    final GuestName name;
    final Pidfd init;
    final long since = System.nanoTime();
    final boolean traced;
    volatile boolean dispatched;

    Watched(GuestName name, Pidfd init, boolean traced) {
      this.name = name;
      this.init = init;
      this.traced = traced;
    }
  }

  private final Map<String, Long> generation = new ConcurrentHashMap<>();

  /**
   * @param engine the guest engine for an operation, given the reason it is done (for the log)
   */
  Supervisor(HostLayout layout, Function<String, Guests> engine, Events events, Consumer<String> log) {
    this.layout = layout;
    this.engine = engine;
    this.events = events;
    this.log = log;
    this.watcher = Thread.ofPlatform().daemon().name("gaiolad-watcher").start(this::watch);
  }

  private ReentrantLock lock(GuestName name) {
    ReentrantLock l = locks.computeIfAbsent(name.value(), n -> new ReentrantLock());
    l.lock();
    return l;
  }

  private void bump(GuestName name) {
    generation.merge(name.value(), 1L, Long::sum);
  }

  /** Starts a guest (a no-op with a warning if it runs) and watches its init. */
  GuestStatus start(Guests guests, GuestName name) throws GaiolaException {
    ReentrantLock l = lock(name);
    try {
      bump(name);
      long t0 = System.nanoTime();
      GuestStatus s = guests.startAndReport(name);
      GuestState.Running r = (GuestState.Running) s.state();
      log.accept(name + ": started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      Watched w = watched.get(name.value());
      if (w == null || w.init.pid() != r.initPid()) {
        watchChild(name, r.initPid());
        events.publish(Event.of("started", name.value(), null, null, r.initPid(), null));
      }
      return s;
    } finally {
      l.unlock();
    }
  }

  /** Stops a guest on request: its end is a stop, never restarted. */
  void stop(Guests guests, GuestName name) throws GaiolaException {
    stop(guests, name, false);
  }

  /** A stop on request; {@code fast} kills at once (OpenVZ's stop --fast). */
  void stop(Guests guests, GuestName name, boolean fast) throws GaiolaException {
    ReentrantLock l = lock(name);
    try {
      bump(name);
      Watched w = watched.remove(name.value());
      boolean wasRunning = guests.state(name).isRunning();
      try {
        guests.stop(name, fast);
      } finally {
        retire(w);
      }
      if (wasRunning) {
        remember(name, SupervisionRecord.NONE, "stop", "stopped on request", false);
        events.publish(Event.of("stopped", name.value(), "stop", "stopped on request", null, null));
      }
    } finally {
      l.unlock();
    }
  }

  /** Stop and start under one hold of the lock: nobody sees the guest stopped in between. */
  GuestStatus restart(Guests guests, GuestName name) throws GaiolaException {
    ReentrantLock l = lock(name);
    try {
      stop(guests, name);
      return start(guests, name);
    } finally {
      l.unlock();
    }
  }

  /** Deletes a guest (stopping it first with {@code force}) and forgets it. */
  void delete(Guests guests, GuestName name, boolean force) throws GaiolaException {
    ReentrantLock l = lock(name);
    try {
      if (force) {
        stop(guests, name);
      }
      guests.delete(name, force);
      SupervisionRecord.remove(layout, name);
      events.publish(Event.of("deleted", name.value(), null, null, null, null));
    } catch (IOException e) {
      log.accept(name + ": cannot remove its supervision record: " + e.getMessage());
    } finally {
      l.unlock();
    }
  }

  /** Supervises a running guest that an earlier daemon started: traces its init. */
  void adopt(GuestName name, long initPid) throws GaiolaException {
    Optional<Pidfd> fd = Pidfd.open(initPid);
    if (fd.isEmpty()) {
      return;
    }
    Watched w = new Watched(name, fd.get(), true);
    watched.put(name.value(), w);
    events.publish(Event.of("adopted", name.value(), null, null, initPid, null));
    Thread.ofPlatform()
        .daemon()
        .name("gaiolad-trace-" + name)
        .start(
            () -> {
              Optional<Pidfd.End> end = Optional.empty();
              try {
                // ptrace belongs to this thread: it attaches and it waits.
                if (InitTracer.seize(w.init)) {
                  end = InitTracer.awaitEnd(w.init);
                }
              } catch (GaiolaException e) {
                log.accept(name + ": cannot trace its init, its end will be unknown: " + e.getMessage());
                try {
                  w.init.awaitExit(Duration.ofDays(365_000));
                } catch (GaiolaException ignored) {
                  // Nothing left to learn.
                }
              }
              ended(w, end);
            });
  }

  private void watchChild(GuestName name, long initPid) throws GaiolaException {
    Optional<Pidfd> fd = Pidfd.open(initPid);
    if (fd.isEmpty()) {
      return;
    }
    watched.put(name.value(), new Watched(name, fd.get(), false));
  }

  /** The watcher: one thread polls every child init's pidfd and hands each end to a worker. */
  private void watch() {
    while (open) {
      for (Pidfd p; (p = retired.poll()) != null; ) {
        p.close();
      }
      List<Watched> ws = new ArrayList<>();
      for (Watched w : watched.values()) {
        if (!w.traced && !w.dispatched) {
          ws.add(w);
        }
      }
      try {
        if (ws.isEmpty()) {
          Thread.sleep(ROUND);
          continue;
        }
        List<Pidfd> ended = Pidfd.awaitAny(ws.stream().map(w -> w.init).toList(), ROUND);
        for (Watched w : ws) {
          if (ended.contains(w.init)) {
            w.dispatched = true;
            work.execute(() -> ended(w, Optional.empty()));
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (GaiolaException | RuntimeException e) {
        log.accept("watcher: " + e.getMessage());
      }
    }
  }

  private void retire(Watched w) {
    if (w != null) {
      w.dispatched = true;
      if (w.traced) {
        // Its tracer thread still waits on the descriptor: it retires it when it returns.
        return;
      }
      retired.add(w.init);
    }
  }

  /** A watched init ended: learn how, clean up, record, and start the guest again if due. */
  private void ended(Watched w, Optional<Pidfd.End> traced) {
    GuestName name = w.name;
    ReentrantLock l = lock(name);
    try {
      Optional<Pidfd.End> status = traced;
      if (!w.traced) {
        status = w.init.reap();
      }
      if (watched.get(name.value()) != w) {
        // Stopped on request meanwhile: the stop has said all there is to say.
        return;
      }
      watched.remove(name.value());
      Guests guests = engine.apply("end of " + name);
      if (!guests.cleanAfterEnd(name, w.init.pid())) {
        remember(name, SupervisionRecord.NONE, "stop", "stopped from outside the daemon", false);
        events.publish(Event.of("stopped", name.value(), "stop", "stopped from outside the daemon", null, null));
        return;
      }
      Optional<GuestEnd> end = status.map(GuestEnd::of);
      String reason = end.map(e -> e.reason().name().toLowerCase(java.util.Locale.ROOT)).orElse("unknown");
      String detail = end.map(e -> "init ended by " + e.status().describe()).orElse("how the init ended is not known");
      SupervisionRecord before = SupervisionRecord.read(layout, name).orElse(SupervisionRecord.NONE);
      int failures = Duration.ofNanos(System.nanoTime() - w.since).compareTo(STABLE) > 0 ? 0 : before.failures();
      RestartPolicy policy = policy(name);
      boolean again = end.isPresent() && policy.restarts(end.get(), failures);
      boolean failed = end.isPresent() && failedEnd(end.get());
      SupervisionRecord now = remember(name, before.withFailures(failed ? failures + 1 : 0), reason, detail, again);
      Integer exitStatus = end.map(e -> e.status().shellStatus()).orElse(null);
      events.publish(Event.ended(name.value(), reason, detail, w.init.pid(), now.restarts(), exitStatus));
      log.accept(name + ": ended: " + reason + " (" + detail + ")" + (again ? "; starting it again" : ""));
      if (again) {
        scheduleRestart(name, failed ? RestartPolicy.backoff(failures + 1) : Duration.ZERO);
      }
    } catch (GaiolaException | RuntimeException e) {
      log.accept(name + ": after its end: " + e.getMessage());
      events.publish(Event.of("failed", name.value(), null, e.getMessage(), null, null));
    } finally {
      l.unlock();
      // The watcher closes it between two polls, so no poll ever sees a reused descriptor number.
      retired.add(w.init);
    }
  }

  private static boolean failedEnd(GuestEnd end) {
    return switch (end.reason()) {
      case REBOOT, HALT -> false;
      case KILLED -> true;
      case EXIT -> end.status().value() != 0;
    };
  }

  private void scheduleRestart(GuestName name, Duration pause) {
    long gen = generation.getOrDefault(name.value(), 0L);
    events.publish(Event.of("restarting", name.value(), null, "in " + pause.toMillis() + " ms", null, null));
    work.execute(
        () -> {
          try {
            Thread.sleep(pause);
          } catch (InterruptedException e) {
            return;
          }
          ReentrantLock l = lock(name);
          try {
            // A start, stop or delete meanwhile was the administrator's word: it wins.
            if (!open || generation.getOrDefault(name.value(), 0L) != gen) {
              return;
            }
            start(engine.apply("restart of " + name), name);
          } catch (GaiolaException | RuntimeException e) {
            log.accept(name + ": cannot start it again: " + e.getMessage());
            events.publish(Event.of("failed", name.value(), null, e.getMessage(), null, null));
          } finally {
            l.unlock();
          }
        });
  }

  private SupervisionRecord remember(
      GuestName name, SupervisionRecord base, String reason, String detail, boolean restarting) {
    SupervisionRecord before = SupervisionRecord.read(layout, name).orElse(SupervisionRecord.NONE);
    SupervisionRecord now =
        new SupervisionRecord(
            before.restarts() + (restarting ? 1 : 0), base.failures(), reason, detail, System.currentTimeMillis());
    try {
      now.write(layout, name);
    } catch (IOException e) {
      log.accept(name + ": cannot write its supervision record: " + e.getMessage());
    }
    return now;
  }

  /** {@code apps/init/restart}; a bad value is logged and read as {@code no}. */
  RestartPolicy policy(GuestName name) {
    Path file = layout.configDir(name).resolve("apps/init/restart");
    try {
      return Files.isRegularFile(file) ? RestartPolicy.parse(Files.readString(file)) : RestartPolicy.NO;
    } catch (InvalidInputException e) {
      log.accept(name + ": " + e.oneLine() + "; not restarting");
      return RestartPolicy.NO;
    } catch (IOException e) {
      log.accept(name + ": cannot read " + file + ": " + e.getMessage());
      return RestartPolicy.NO;
    }
  }

  /** The guests whose inits are watched. */
  int watchedCount() {
    return watched.size();
  }

  @Override
  public void close() {
    open = false;
    watcher.interrupt();
    work.shutdownNow();
  }
}
