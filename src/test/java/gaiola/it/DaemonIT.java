package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.daemon.DaemonClient;
import gaiola.error.HostException;
import gaiola.guest.GuestState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gaiolad as a separate process on a private root: supervision of reboot, halt and a crash loop,
 * adoption after kill -9, autostart, action scripts and concurrent API requests.
 */
@RequiresGuestHost
@Timeout(300)
class DaemonIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A daemon process for a test host, its client and the events it streamed. */
  static final class RunningDaemon implements AutoCloseable {
    final Process process;
    final DaemonClient client;
    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final Thread reader;

    RunningDaemon(TestHost host, String... extra) throws Exception {
      List<String> argv = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"), "gaiola.cli.Main",
          "--root", host.root.toString(), "daemon"));
      argv.addAll(List.of(extra));
      process = new ProcessBuilder(argv)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(host.root.resolve("daemon.log").toFile()))
          .start();
      Optional<DaemonClient> c = Optional.empty();
      // Waits for the socket; a daemon that died prints why in the log.
      while (c.isEmpty()) {
        assertThat(process.isAlive()).as("daemon alive; log:\n%s", log(host)).isTrue();
        Thread.sleep(50);
        c = DaemonClient.find(host.guests.layout());
      }
      client = c.get();
      reader = Thread.ofVirtual().start(() -> {
        try {
          client.stream("/1.0/events", line -> {
            try {
              events.add(JSON.readTree(line));
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          });
        } catch (Exception e) {
          // The daemon went away.
        }
      });
    }

    static String log(TestHost host) throws IOException {
      Path l = host.root.resolve("daemon.log");
      return Files.exists(l) ? Files.readString(l) : "";
    }

    JsonNode call(String method, String path, String body) throws Exception {
      return client.call(method, path, body).json();
    }

    /** The next event that matches, skipping others. */
    JsonNode await(Predicate<JsonNode> p) throws InterruptedException {
      while (true) {
        JsonNode e = events.take();
        if (p.test(e)) {
          return e;
        }
      }
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor();
      reader.interrupt();
    }
  }

  /** Runs a command line on the host's root; returns its exit status and what it printed on stderr. */
  private static String cli(TestHost host, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int status = gaiola.cli.Main.run(
        new gaiola.cli.CliContext(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
            java.util.Map.of("GAIOLA_ROOT", host.root.toString()), new gaiola.host.SystemProcessRunner()),
        args);
    return status + " " + err;
  }

  private static Predicate<JsonNode> event(String type, String guest) {
    return e -> e.path("type").asText().equals(type) && e.path("guest").asText().equals(guest);
  }

  @Test
  void rebootComesBackHaltStaysDownCrashLoopStopsAfterThreeRestarts() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName g = host.busybox("dm01", 5301, InitStyle.parse("plain"));
      GuestName crash = host.busybox("dm02", 5302, InitStyle.parse("plain"));
      Path init = host.guests.config(crash).vdir().resolve("sbin/init");
      Files.delete(init);
      Files.writeString(init, "#!/bin/sh\nexit 3\n");
      Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(host.configDir(crash).resolve("apps/init/restart"), "on-failure:3\n");
      try (RunningDaemon d = new RunningDaemon(host, "--no-autostart")) {
        long pid1 = d.call("POST", "/1.0/guests/dm01/start", null).path("initPid").asLong();
        d.call("POST", "/1.0/guests/dm01/exec", "{\"argv\":[\"reboot\"]}");
        assertThat(d.await(event("ended", "dm01")).path("reason").asText()).isEqualTo("reboot");
        long pid2 = d.await(event("started", "dm01")).path("initPid").asLong();
        assertThat(pid2).isNotEqualTo(pid1);
        assertThat(host.guests.state(g)).isEqualTo(host.guests.state(g)).isInstanceOf(GuestState.Running.class);
        assertThat(((GuestState.Running) host.guests.state(g)).initPid()).isEqualTo(pid2);
        JsonNode view = d.call("GET", "/1.0/guests/dm01", null);
        assertThat(view.path("restarts").asInt()).isEqualTo(1);
        assertThat(view.path("lastEnd").asText()).isEqualTo("reboot");

        d.call("POST", "/1.0/guests/dm01/exec", "{\"argv\":[\"halt\"]}");
        assertThat(d.await(event("ended", "dm01")).path("reason").asText()).isEqualTo("halt");
        view = d.call("GET", "/1.0/guests/dm01", null);
        assertThat(view.path("state").asText()).isEqualTo("stopped");
        assertThat(view.path("lastEnd").asText()).isEqualTo("halt");
        assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);

        // OpenVZ's stop --fast through the API: killed at once, recorded as a stop on request.
        d.call("POST", "/1.0/guests/dm01/start", null);
        view = d.call("POST", "/1.0/guests/dm01/stop?fast=1", null);
        assertThat(view.path("state").asText()).isEqualTo("stopped");
        assertThat(d.await(event("stopped", "dm01")).path("reason").asText()).isEqualTo("stop");

        d.call("POST", "/1.0/guests/dm02/start", null);
        JsonNode last = null;
        for (int i = 0; i < 4; i++) {
          last = d.await(event("ended", "dm02"));
          assertThat(last.path("reason").asText()).isEqualTo("exit");
          assertThat(last.path("detail").asText()).contains("exit 3");
        }
        assertThat(last.path("restarts").asInt()).isEqualTo(3);
        view = d.call("GET", "/1.0/guests/dm02", null);
        assertThat(view.path("state").asText()).isEqualTo("stopped");
        assertThat(view.path("restarts").asInt()).isEqualTo(3);
      }
    }
  }

  @Test
  void killedDaemonLeavesTwentyGuestsRunningAndConcurrentRequestsStayConsistent() throws Exception {
    try (TestHost host = new TestHost()) {
      List<GuestName> names = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        names.add(host.busybox(String.format("dm1%02d", i), 5310 + i, InitStyle.parse("plain")));
      }
      try (RunningDaemon first = new RunningDaemon(host, "--no-autostart");
          ExecutorService pool = Executors.newFixedThreadPool(20)) {
        List<Future<JsonNode>> started = new ArrayList<>();
        for (GuestName n : names) {
          started.add(pool.submit(() -> first.call("POST", "/1.0/guests/" + n + "/start", null)));
        }
        for (Future<JsonNode> f : started) {
          assertThat(f.get().path("state").asText()).isEqualTo("running");
        }
        first.process.destroyForcibly().waitFor();
      }
      for (GuestName n : names) {
        assertThat(host.guests.state(n)).as("%s after kill -9 of the daemon", n).isInstanceOf(GuestState.Running.class);
      }
      try (RunningDaemon second = new RunningDaemon(host, "--no-autostart")) {
        JsonNode all = second.call("GET", "/1.0/guests", null);
        assertThat(all).hasSize(20);
        all.forEach(v -> assertThat(v.path("state").asText()).as(v.path("name").asText()).isEqualTo("running"));
        long before = second.call("GET", "/1.0/guests/dm105", null).path("initPid").asLong();
        second.call("POST", "/1.0/guests/dm105/exec", "{\"argv\":[\"reboot\"]}");
        assertThat(second.await(event("ended", "dm105")).path("reason").asText()).isEqualTo("reboot");
        assertThat(second.await(event("started", "dm105")).path("initPid").asLong()).isNotEqualTo(before);

        // 100 start and stop requests at once over the 20 guests.
        Random random = new Random(6);
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
          List<Future<?>> done = new ArrayList<>();
          for (int i = 0; i < 100; i++) {
            GuestName n = names.get(random.nextInt(names.size()));
            String verb = random.nextBoolean() ? "start" : "stop";
            done.add(pool.submit(() -> second.call("POST", "/1.0/guests/" + n + "/" + verb, null)));
          }
          for (Future<?> f : done) {
            f.get();
          }
        }
        for (GuestName n : names) {
          JsonNode v = second.call("GET", "/1.0/guests/" + n, null);
          GuestState s = host.guests.state(n);
          assertThat(v.path("state").asText()).as(n.value()).isEqualTo(s.isRunning() ? "running" : "stopped");
          assertThat(Files.isDirectory(host.guests.layout().runcRoot().resolve(n.value())))
              .as("runc container of %s", n).isEqualTo(s.isRunning());
        }
        for (GuestName n : names) {
          second.call("POST", "/1.0/guests/" + n + "/stop", null);
        }
        // Adopted, restarted, started and stopped inits: every one of the daemon's children collected.
        assertThat(zombieChildren(second.process.pid())).isEmpty();
        host.assertNoLeftovers();
      }
    }
  }

  @Test
  void autostartStartsExactlyTheMarkedGuests() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName a = host.busybox("dm20", 5340, InitStyle.parse("plain"));
      GuestName b = host.busybox("dm21", 5341, InitStyle.parse("plain"));
      GuestName other = host.busybox("dm22", 5342, InitStyle.parse("plain"));
      GuestName none = host.busybox("dm23", 5343, InitStyle.parse("plain"));
      Files.writeString(host.configDir(a).resolve("apps/init/mark"), "default\n");
      Files.writeString(host.configDir(b).resolve("apps/init/mark"), "default\n");
      Files.writeString(host.configDir(b).resolve("apps/init/order"), "10\n");
      Files.writeString(host.configDir(other).resolve("apps/init/mark"), "other\n");
      try (RunningDaemon d = new RunningDaemon(host)) {
        assertThat(host.guests.state(a).isRunning()).isTrue();
        assertThat(host.guests.state(b).isRunning()).isTrue();
        assertThat(host.guests.state(other).isRunning()).isFalse();
        assertThat(host.guests.state(none).isRunning()).isFalse();
        JsonNode stopped = d.call("POST", "/1.0/marks/default/stop", null);
        assertThat(stopped.path("stopped")).hasSize(2);
        assertThat(host.guests.state(a).isRunning()).isFalse();
        assertThat(host.guests.state(b).isRunning()).isFalse();
        assertThatThrownBy(() -> d.call("POST", "/1.0/marks/..%2F/start", null)).isInstanceOf(gaiola.error.GaiolaException.class);
      }
    }
  }

  @Test
  void scriptsRunInOrderWithTheirEnvironmentAndAFailingPreStartLeavesNothing() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName g = host.busybox("dm30", 5350, InitStyle.parse("plain"));
      Path scripts = Files.createDirectories(host.configDir(g).resolve("scripts"));
      Path trace = host.root.resolve("trace");
      for (String phase : List.of("initialize", "mount", "prepre-start", "pre-start", "post-start",
          "pre-stop", "post-stop", "umount", "postpost-stop")) {
        Path s = phase.equals("post-start") ? Files.createDirectories(scripts.resolve("post-start.d")).resolve("10-trace") : scripts.resolve(phase);
        Files.writeString(s, "#!/bin/sh\necho \"$1 $2 $GAIOLA_PHASE $GAIOLA_NAME $GAIOLA_CONTEXT $(pwd)\" >> " + trace + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.writeString(scripts.resolve("start"), "echo inside-start > /tmp/started\n");
      try (RunningDaemon d = new RunningDaemon(host, "--no-autostart")) {
        d.call("POST", "/1.0/guests/dm30/start", null);
        assertThat(host.exec(g, "cat", "/tmp/started")).isEqualTo("inside-start");
        d.call("POST", "/1.0/guests/dm30/stop", null);
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines).extracting(l -> l.split(" ")[0]).containsExactly(
            "initialize", "mount", "prepre-start", "pre-start", "post-start", "pre-stop", "post-stop", "umount", "postpost-stop");
        String vdir = host.guests.config(g).vdir().toRealPath().toString();
        assertThat(lines.get(0)).isEqualTo("initialize dm30 initialize dm30 5350 " + host.configDir(g));
        assertThat(lines.get(3)).isEqualTo("pre-start dm30 pre-start dm30 5350 " + vdir);

        Files.writeString(trace, "");
        Path pre = scripts.resolve("pre-start");
        Files.writeString(pre, "#!/bin/sh\necho pre-start-refuses\nexit 7\n");
        assertThatThrownBy(() -> d.call("POST", "/1.0/guests/dm30/start", null))
            .isInstanceOf(HostException.class)
            .hasMessageContaining("pre-start")
            .hasMessageContaining("exit 7");
        assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
        assertThat(Files.readAllLines(trace)).extracting(l -> l.split(" ")[0])
            .containsExactly("initialize", "mount", "prepre-start", "umount");
        assertThat(Files.readString(host.guests.logFile(g))).contains("pre-start-refuses");
        // The init runc created was the daemon's (its subreaper's) child: killed by the roll-back,
        // it must also be collected, or each refused start would leave a zombie.
        assertThat(zombieChildren(d.process.pid())).isEmpty();
        host.assertNoLeftovers();
      }
    }
  }

  /** The zombies among a process's children: "PID (comm)" each. */
  static List<String> zombieChildren(long parent) throws Exception {
    List<String> zombies = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (f[0].equals("Z") && Long.parseLong(f[1]) == parent) {
            zombies.add(stat.substring(0, stat.lastIndexOf(')') + 1));
          }
        } catch (java.io.IOException gone) {
          // Ended meanwhile.
        }
      }
    }
    return zombies;
  }

  @Test
  void aSecondDaemonRefusesAndAStaleSocketIsReplaced() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName g = host.busybox("dm40", 5360, InitStyle.parse("plain"));
      try (RunningDaemon d = new RunningDaemon(host, "--no-autostart")) {
        // Hostile requests: each refused whole with a JSON error, and the guest left as it was.
        assertThatThrownBy(() -> d.call("POST", "/1.0/guests/dm40/start", "{\"now\":true}"))
            .isInstanceOf(gaiola.error.InvalidInputException.class).hasMessage("unknown field 'now'");
        assertThatThrownBy(() -> d.call("POST", "/1.0/guests/dm40/exec", "{\"argv\":\"reboot\"}"))
            .hasMessage("field 'argv' has the wrong type");
        assertThatThrownBy(() -> d.call("POST", "/1.0/guests/dm40/start", "{\"x\":\"" + "a".repeat(70_000) + "\"}"))
            .hasMessageContaining("larger than 65536");
        assertThatThrownBy(() -> d.call("POST", "/1.0/guests/..%2Fdm40/start", null)).hasMessageContaining("Ambiguous");
        assertThatThrownBy(() -> d.call("GET", "/1.0/guests/dm40/start", null)).hasMessageContaining("GET is not allowed");
        assertThatThrownBy(() -> d.call("POST", "/1.0/guests/nosuch/start", null))
            .isInstanceOf(gaiola.error.NotFoundException.class).hasMessage("guest 'nosuch' does not exist");
        assertThatThrownBy(() -> d.call("POST", "/1.0/guests/dm40/stop?fast=maybe", null))
            .hasMessageContaining("query parameter fast='maybe' is not a yes/no value");
        for (String t : new String[] {"0", "-1", "86401", "1e3", "99999999999"}) {
          assertThatThrownBy(() -> d.call("GET", "/1.0/guests/dm40/wait?timeout=" + t, null))
              .hasMessageContaining("query parameter timeout='" + t + "' is not a number of seconds from 1 to 86400");
        }
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(host.guests.layout().runDir().resolve("gaiola.sock")))) {
          ch.write(java.nio.ByteBuffer.wrap("NONSENSE \u0001\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
          String answer = new String(java.nio.channels.Channels.newInputStream(ch).readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
          assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("Exception").doesNotContain("at org.");
        }
        assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
        assertThat(d.process.isAlive()).isTrue();

        // The command line through the daemon and in-process: the same lines and exit statuses.
        assertThat(cli(host, "vserver", "dm40", "stop")).isEqualTo(cli(host, "--no-daemon", "vserver", "dm40", "stop"))
            .isEqualTo("0 gaiola: warning: guest 'dm40' is not running\n");
        Path init = host.guests.config(g).vdir().resolve("sbin/init");
        Path aside = init.resolveSibling("init.aside");
        Files.move(init, aside, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String broken = cli(host, "vserver", "dm40", "start");
        assertThat(broken).isEqualTo(cli(host, "--no-daemon", "vserver", "dm40", "start")).startsWith("2 gaiola: dm40: init '/sbin/init' is missing");
        Files.move(aside, init, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertThat(cli(host, "vserver", "dm40", "start")).isEqualTo("0 ");
        assertThat(d.call("GET", "/1.0/guests/dm40", null).path("state").asText()).isEqualTo("running");
        assertThat(cli(host, "vserver", "dm40", "start")).isEqualTo(cli(host, "--no-daemon", "vserver", "dm40", "start"))
            .isEqualTo("0 gaiola: warning: guest 'dm40' is already running\n");
        assertThat(cli(host, "vserver", "dm40", "stop")).isEqualTo("0 ");
        assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
        Process second = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            "gaiola.cli.Main", "--root", host.root.toString(), "daemon", "--no-autostart")
            .redirectErrorStream(true).start();
        String out = new String(second.getInputStream().readAllBytes());
        assertThat(second.waitFor()).isEqualTo(1);
        assertThat(out).contains("another gaiolad already runs");
        d.process.destroyForcibly().waitFor();
      }
      assertThat(Files.exists(host.guests.layout().runDir().resolve("gaiola.sock"))).isTrue();
      assertThat(DaemonClient.find(host.guests.layout())).isEmpty();
      try (RunningDaemon again = new RunningDaemon(host, "--no-autostart")) {
        assertThat(again.call("GET", "/1.0", null).path("api").asText()).isEqualTo("1.0");
      }
    }
  }
}
