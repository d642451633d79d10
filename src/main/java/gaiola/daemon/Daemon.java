package gaiola.daemon;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.guest.GuestState;
import gaiola.guest.GuestStatus;
import gaiola.guest.Guests;
import gaiola.guest.Reporter;
import gaiola.host.Privileges;
import gaiola.host.ProcSelf;
import gaiola.host.ProcessRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * gaiolad: one per host. It takes the daemon lock, becomes the child subreaper of the guests'
 * inits, adopts the guests an earlier daemon left running (and clears those that died meanwhile),
 * serves the API on {@code /run/gaiola/gaiola.sock} (root only, mode 0600), and starts the guests
 * marked {@code default}. Stopping the daemon leaves the guests running.
 */
public final class Daemon {
  private final HostLayout layout;
  private final ProcessRunner runner;
  private final PrintWriter logOut;
  private final Events events = new Events();
  private final Supervisor supervisor;
  private final Autostart autostart;
  private final LogRotation logRotation;
  private final AtomicLong requests = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger execSessions = new java.util.concurrent.atomic.AtomicInteger();
  private final Instant started = Instant.now();
  /** runc's deletes of dead containers, after the stop's reply (see Guests#forgettingLater). */
  private final java.util.concurrent.ExecutorService forgetting =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private Daemon(HostLayout layout, ProcessRunner runner, PrintWriter logOut) {
    this.layout = layout;
    this.runner = runner;
    this.logOut = logOut;
    this.supervisor = new Supervisor(layout, why -> engine(w -> log(why + ": " + w)), events, this::log);
    this.autostart =
        new Autostart(
            layout, () -> engine(w -> log("autostart: " + w)),
            (g, n) -> supervisor.start(g, n), (g, n) -> supervisor.stop(g, n));
    this.logRotation = new LogRotation(() -> engine(w -> log("log rotation: " + w)), this::log);
  }

  /** The socket's path for a layout. */
  public static Path socket(HostLayout layout) {
    return layout.runDir().resolve("gaiola.sock");
  }

  /**
   * Runs the daemon until it is told to stop (SIGTERM, SIGINT); returns when it stopped.
   *
   * @param mark the mark to start, or null for none
   */
  public static void run(HostLayout layout, ProcessRunner runner, String mark, PrintWriter logOut)
      throws Exception {
    Privileges.requireRoot("running the daemon");
    if (mark != null) {
      Autostart.checkMark(mark);
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    // On SIGTERM the JVM ends once its hooks return: the hook waits until the socket is gone.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        done.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    try (DaemonLock _ = DaemonLock.acquire(layout)) {
      Privileges.becomeSubreaper();
      Daemon d = new Daemon(layout, runner, logOut);
      d.adoptAll();
      Path socket = socket(layout);
      // The socket appears once the marked guests run; meanwhile clients wait on the lock.
      if (mark != null) {
        Map<String, Object> r = d.autostart.start(mark);
        d.log("autostart of mark '" + mark + "': " + r);
      }
      try (LogRotation _ = d.logRotation.start(); ApiServer _ = d.listen(socket)) {
        d.log("listening on " + socket + " (pid " + ProcessHandle.current().pid() + ")");
        stop.await();
        d.log("stopping; the guests keep running");
      } finally {
        Files.deleteIfExists(socket);
        d.supervisor.close();
        d.forgetting.close(); // waits for the deletes still running
      }
    } finally {
      done.countDown();
    }
  }

  /**
   * Binds the socket in a private directory, makes it 0600, then moves it into place: nobody can
   * connect in between, and a stale socket (we hold the lock, so its daemon is gone) is replaced.
   */
  private ApiServer listen(Path socket) throws Exception {
    Path dir = Files.createTempDirectory(layout.runDir(), ".gaiolad-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path tmp = dir.resolve("gaiola.sock");
    ApiServer api = new ApiServer(this, tmp);
    api.start();
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    if (Files.exists(socket)) {
      log("replacing the stale socket " + socket);
    }
    Files.move(tmp, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(dir);
    return api;
  }

  /** Takes over the running guests; clears what the dead ones left. */
  private void adoptAll() throws GaiolaException {
    Guests guests = engine(w -> log("adopting: " + w));
    int adopted = 0;
    for (GuestName n : guests.list()) {
      try {
        if (guests.state(n) instanceof GuestState.Running r) {
          supervisor.adopt(n, r.initPid());
          adopted++;
        } else if (guests.cleanIfDead(n)) {
          log(n + ": died while no daemon watched; cleared what it left");
          events.publish(Event.of("stopped", n.value(), "unknown", "died while no daemon watched", null, null));
        }
      } catch (GaiolaException e) {
        log(n + ": not adopted: " + e.oneLine());
      }
    }
    log("adopted " + adopted + " running guest(s)");
  }

  Guests engine(Consumer<String> warnings) {
    return new Guests(
        layout, runner,
        new Reporter() {
          @Override
          public void note(String text) {}

          @Override
          public void warn(String text) {
            warnings.accept(text);
          }
        }).forgettingLater(forgetting, this::log);
  }

  Supervisor supervisor() {
    return supervisor;
  }

  Events events() {
    return events;
  }

  Autostart autostart() {
    return autostart;
  }

  void counted() {
    requests.incrementAndGet();
  }

  /** Counts the streamed execs that run now, for the metrics. */
  void execSessions(int delta) {
    execSessions.addAndGet(delta);
  }

  synchronized void log(String line) {
    logOut.println(Instant.now() + " gaiolad: " + line);
    logOut.flush();
  }

  GuestView view(Guests guests, GuestName name) throws GaiolaException {
    return view(name, guests.status(name));
  }

  GuestView view(GuestName name, GuestStatus status) {
    return GuestView.of(status, layout, name, supervisor.policy(name));
  }

  /**
   * Blocks until the guest's next end (vwait), or for at most {@code timeout} (then the reason is
   * {@code timeout}); a stopped guest answers at once.
   */
  Map<String, Object> awaitEnd(Guests guests, GuestName name, Optional<Duration> timeout)
      throws GaiolaException {
    BlockingQueue<Event> q = events.subscribe();
    try {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("guest", name.value());
      if (!guests.state(name).isRunning()) {
        SupervisionRecord s = SupervisionRecord.read(layout, name).orElse(SupervisionRecord.NONE);
        r.put("reason", "not-running");
        r.put("lastEnd", s.lastEnd().isEmpty() ? null : s.lastEnd());
        return r;
      }
      long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
      while (true) {
        Event e = timeout.isEmpty() ? q.take() : q.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e == null) {
          r.put("reason", "timeout");
          return r;
        }
        if (e.guest().equals(name.value()) && (e.type().equals("ended") || e.type().equals("stopped") || e.type().equals("deleted"))) {
          r.put("reason", e.reason() == null ? e.type() : e.reason());
          r.put("detail", e.detail());
          if (e.exitStatus() != null) {
            r.put("exitStatus", e.exitStatus());
          }
          return r;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException("interrupted while waiting for " + name);
    } finally {
      events.unsubscribe(q);
    }
  }

  Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
    m.put("watchedGuests", supervisor.watchedCount());
    m.put("apiRequests", requests.get());
    m.put("eventSubscribers", events.subscribers());
    m.put("execSessions", execSessions.get());
    m.put("logRotations", logRotation.rotations());
    m.put("threads", Thread.activeCount());
    m.put("rssKiB", rssKiB());
    m.put("heapUsedBytes", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
    return m;
  }

  /** The metrics in Prometheus's text format ({@code GET /metrics}), with one sample per guest. */
  String prometheus(Guests guests) throws GaiolaException {
    java.util.List<GuestView> views = new java.util.ArrayList<>();
    for (GuestName n : guests.list()) {
      try {
        views.add(view(guests, n));
      } catch (GaiolaException e) {
        // A guest whose configuration does not load has no samples; /1.0/guests says why.
      }
    }
    Runtime rt = Runtime.getRuntime();
    PrometheusText t = new PrometheusText();
    t.family("gaiola_daemon_uptime_seconds", "gauge", "Seconds since gaiolad started.")
        .sample(java.time.Duration.between(started, Instant.now()).toMillis() / 1000.0);
    long rss = rssKiB();
    t.family("gaiola_daemon_resident_memory_bytes", "gauge", "gaiolad's resident set size.")
        .sample(rss < 0 ? Double.NaN : rss * 1024.0);
    t.family("gaiola_daemon_heap_used_bytes", "gauge", "Java heap in use by gaiolad.")
        .sample(rt.totalMemory() - rt.freeMemory());
    t.family("gaiola_daemon_threads", "gauge", "Live platform threads of gaiolad.").sample(Thread.activeCount());
    t.family("gaiola_api_requests_total", "counter", "API requests served since gaiolad started.").sample(requests.get());
    t.family("gaiola_event_subscribers", "gauge", "Clients of /1.0/events and vwait now.").sample(events.subscribers());
    t.family("gaiola_exec_sessions", "gauge", "Streamed execs running now.").sample(execSessions.get());
    t.family("gaiola_guests_watched", "gauge", "Guest inits gaiolad supervises.").sample(supervisor.watchedCount());
    t.family("gaiola_log_rotations_total", "counter", "Guest logs rotated by gaiolad since it started.").sample(logRotation.rotations());
    guestFamilies(t, views);
    return t.text();
  }

  /** The per-guest families, one sample per guest labelled with its name. */
  static void guestFamilies(PrometheusText t, java.util.List<GuestView> views) {
    t.family("gaiola_guest_running", "gauge", "1 when the guest runs, else 0.");
    views.forEach(v -> t.sample(PrometheusText.label("name", v.name()), v.state().equals("running") ? 1 : 0));
    t.family("gaiola_guest_restarts_total", "counter", "Times gaiolad started the guest again after it ended (reboot, restart policy).");
    views.forEach(v -> t.sample(PrometheusText.label("name", v.name()), v.restarts()));
    t.family("gaiola_guest_uptime_seconds", "gauge", "Seconds since the running guest's init started.");
    views.stream().filter(v -> v.state().equals("running"))
        .forEach(v -> t.sample(PrometheusText.label("name", v.name()), v.uptimeSeconds()));
    t.family("gaiola_guest_processes", "gauge", "Processes of the running guest.");
    views.stream().filter(v -> v.state().equals("running"))
        .forEach(v -> t.sample(PrometheusText.label("name", v.name()), v.processes()));
  }

  static long rssKiB() {
    try {
      String rss = ProcSelf.status().get("VmRSS");
      if (rss != null) {
        return Long.parseLong(rss.replaceAll("\\D", ""));
      }
    } catch (IOException | NumberFormatException e) {
      // Unknown.
    }
    return -1;
  }
}
