package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher and the classic names as a user runs them: ./gaiola, bin/vserver, bin/vps, exit
 * statuses, suexec, enter with a real terminal (through script(1)), and the lines the launcher
 * hands to a running daemon itself.
 */
@RequiresGuestHost
class LauncherIT {
  static final Path REPO = Path.of("").toAbsolutePath();
  static TestHost host;

  @BeforeAll
  static void setUp() throws Exception {
    host = new TestHost();
  }

  @AfterAll
  static void tearDown() throws Exception {
    host.close();
  }

  record Run(int status, String out) {}

  /** The launcher's client for the daemon's socket (nc or curl), or null for its own choice. */
  static String client;

  static Run run(String input, String... argv) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(argv));
    cmd.set(0, REPO.resolve(argv[0]).toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GAIOLA_ROOT", host.root.toString());
    if (client != null) {
      pb.environment().put("GAIOLA_LAUNCHER_CLIENT", client);
    }
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(input.getBytes());
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void theClassicNamesDriveAGuestLifecycle() throws Exception {
    host.busybox("cl1", 1201, gaiola.config.InitStyle.SYSV);
    assertThat(run("", "bin/vserver", "cl1", "start").status()).isZero();
    try {
      assertThat(run("", "bin/vserver", "cl1", "running").status()).isZero();
      Run hostname = run("", "gaiola", "vserver", "cl1", "exec", "hostname");
      assertThat(hostname.out().strip()).isEqualTo("cl1");
      assertThat(run("", "gaiola", "vserver", "cl1", "exec", "sh", "-c", "exit 7").status()).isEqualTo(7);
      // exec passes our stdin through.
      assertThat(run("piped\n", "gaiola", "vserver", "1201", "exec", "cat").out()).contains("piped");
      assertThat(run("", "gaiola", "vserver", "cl1", "suexec", "nobody", "id", "-u").out().strip()).isEqualTo("65534");
      Run vps = run("", "bin/vps");
      assertThat(vps.out()).contains("CONTEXT").containsPattern("1201 +cl1 +1 ");
      Run stat = run("", "bin/vserver-stat");
      assertThat(stat.out()).contains("cl1").startsWith("CTX");
      assertThat(run("", "gaiola", "vserver", "cl1", "status").out()).contains("is running at context '1201'");
      // enter: a login shell with a terminal, through script(1) which gives us a pty.
      Run enter =
          run("tty; hostname; exit 3\n", "/usr/bin/script", "-qec",
              REPO.resolve("gaiola") + " vserver cl1 enter", "/dev/null");
      assertThat(enter.out()).contains("/dev/pts/").contains("cl1");
      // vwait gives up after its time-out (util-vserver's exit 2 and TIMEOUT on the status
      // descriptor) and leaves the guest running.
      Path status = host.root.resolve("vwait-status");
      assertThat(run("", "/bin/sh", "-c", REPO.resolve("bin/vwait") + " --timeout 1 --status-fd 3 cl1 3>" + status))
          .isEqualTo(new Run(2, "cl1: timeout\n"));
      assertThat(Files.readString(status)).isEqualTo("TIMEOUT\n");
      assertThat(run("", "bin/vserver", "cl1", "running").status()).isZero();
    } finally {
      assertThat(run("", "bin/vserver", "cl1", "stop").status()).isZero();
    }
    assertThat(run("", "bin/vserver", "cl1", "running").status()).isEqualTo(1);
    assertThat(run("", "gaiola", "vserver", "cl1", "status").status()).isEqualTo(3);
  }

  /** Whether the daemon's JSON metrics contain this text. */
  private static boolean metricsSay(Path socket, String text) throws Exception {
    Process p = new ProcessBuilder("curl", "-s", "--unix-socket", socket.toString(), "http://x/1.0/metrics").start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out.contains(text);
  }

  @Test
  void foregroundStartReportsHowTheGuestEnded() throws Exception {
    host.busybox("fg1", 1202, gaiola.config.InitStyle.PLAIN);
    ProcessBuilder pb =
        new ProcessBuilder(REPO.resolve("gaiola").toString(), "vserver", "fg1", "start", "--foreground")
            .redirectErrorStream(true);
    pb.environment().put("GAIOLA_ROOT", host.root.toString());
    Process p = pb.start();
    try {
      for (int i = 0; i < 200 && !host.guests.state(new gaiola.config.GuestName("fg1")).isRunning(); i++) {
        Thread.sleep(50);
      }
      host.guests.execCaptured(new gaiola.config.GuestName("fg1"), List.of("halt", "-f"));
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out).contains("ended: halt").contains("SIGINT");
    } finally {
      p.destroyForcibly();
    }
    assertThat(Files.exists(host.guests.layout().runDir().resolve("guests/fg1.json"))).isFalse();
  }

  @Test
  void withTheDaemonRunningStartAndStopGoThroughItWithTheSameOutput() throws Exception {
    host.busybox("ld1", 1203, gaiola.config.InitStyle.PLAIN);
    gaiola.config.GuestName ld1 = new gaiola.config.GuestName("ld1");
    List<gaiola.config.GuestName> clones = new ArrayList<>();
    Path log = host.root.resolve("launcher-daemon.log");
    Process daemon =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "gaiola.cli.Main", "--root", host.root.toString(), "daemon", "--no-autostart")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Path socket = host.guests.layout().runDir().resolve("gaiola.sock");
      for (int i = 0; i < 600 && !Files.exists(socket); i++) {
        assertThat(daemon.isAlive()).as("daemon alive").isTrue();
        Thread.sleep(50);
      }
      // Both clients the launcher can use (OpenBSD's netcat and curl; install-deps brings both).
      for (String c : List.of("nc", "curl")) {
        client = c;
        long before = Files.readString(log).lines().filter(l -> l.contains("ld1: started in")).count();
        assertThat(run("", "gaiola", "vserver", "ld1", "start")).as(c).isEqualTo(new Run(0, ""));
        assertThat(host.guests.state(ld1).isRunning()).isTrue();
        // The daemon started it (its log says so), and a second start warns as the JVM would.
        assertThat(Files.readString(log).lines().filter(l -> l.contains("ld1: started in")).count())
            .as(c).isEqualTo(before + 1);
        Run again = run("", "gaiola", "vserver", "ld1", "start");
        assertThat(again).isEqualTo(run("", "gaiola", "--no-daemon", "vserver", "ld1", "start"));
        assertThat(again.out()).as(c).isEqualTo("gaiola: warning: guest 'ld1' is already running\n");
        assertThat(run("", "gaiola", "vserver", "ld1", "stop", "--fast")).as(c).isEqualTo(new Run(0, ""));
        assertThat(host.guests.state(ld1).isRunning()).isFalse();
        // A refusal goes on to the JVM, which reports it the usual way.
        Run missing = run("", "gaiola", "vserver", "ld9", "start");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.out()).contains("guest 'ld9' does not exist");
        if (c.equals("nc")) {
          // vwait through the daemon: a time-out (exit 2), a time-out that kills the guest (exit 1),
          // and a halt inside, with util-vserver's status lines on the descriptor given.
          Path status = host.root.resolve("vwait-status");
          String vwait = REPO.resolve("gaiola") + " vwait --status-fd 3 ";
          assertThat(run("", "gaiola", "vserver", "ld1", "start").status()).isZero();
          assertThat(run("", "gaiola", "vwait", "--timeout", "1", "ld1")).isEqualTo(new Run(2, "ld1: timeout\n"));
          assertThat(host.guests.state(ld1).isRunning()).isTrue();
          assertThat(run("", "/bin/sh", "-c", vwait + "--timeout 1 --terminate ld1 3>" + status))
              .isEqualTo(new Run(1, "ld1: timeout; killed (stop --fast)\n"));
          assertThat(Files.readString(status)).isEqualTo("KILLED\n");
          assertThat(host.guests.state(ld1).isRunning()).isFalse();
          assertThat(run("", "gaiola", "vwait", "--timeout", "1", "ld1")).isEqualTo(new Run(0, "ld1: not running\n"));
          assertThat(run("", "gaiola", "vserver", "ld1", "start").status()).isZero();
          // The waiter is the daemon's event subscriber once its request is in; then the halt.
          ProcessBuilder waiter = new ProcessBuilder("/bin/sh", "-c", vwait + "ld1 3>" + status)
              .redirectErrorStream(true).redirectOutput(host.root.resolve("vwait-out").toFile());
          waiter.environment().put("GAIOLA_ROOT", host.root.toString());
          Process w = waiter.start();
          for (int i = 0; i < 200 && !metricsSay(socket, "\"eventSubscribers\":1"); i++) {
            Thread.sleep(50);
          }
          assertThat(metricsSay(socket, "\"eventSubscribers\":1")).as("vwait subscribed").isTrue();
          // The exec's own status is whatever the halting guest leaves it: not asserted.
          run("", "gaiola", "vserver", "ld1", "exec", "halt", "-f");
          assertThat(w.waitFor(60, TimeUnit.SECONDS)).isTrue();
          assertThat(w.exitValue()).isZero();
          assertThat(Files.readString(host.root.resolve("vwait-out")))
              .isEqualTo("ld1: halt (init ended by signal 2 (SIGINT))\n");
          // Killed by SIGINT: 128 + 2, as a shell says.
          assertThat(Files.readString(status)).isEqualTo("FINISHED 130\n");
        }
        // A layered clone is one request too: the JVM's line, without the JVM's copy summary.
        String clone = "lc" + c;
        clones.add(new gaiola.config.GuestName(clone));
        Run made = run("", "gaiola", "vserver-new", clone, "--context", c.equals("nc") ? "1211" : "1212",
            "--hostname", clone + ".example", "clone", "ld1", "--layered");
        assertThat(made.status()).as(c).isZero();
        assertThat(made.out()).as(c)
            .endsWith("built guest '" + clone + "' (context " + (c.equals("nc") ? "1211" : "1212") + ", "
                + host.root.resolve("vservers/" + clone) + ")\n")
            .doesNotContain("clone --layered ld1:");
        assertThat(host.guests.config(clones.getLast()).uts().nodename()).isEqualTo(clone + ".example");
        assertThat(host.configDir(clones.getLast()).resolve("union/branches")).isRegularFile();
        // A clone the daemon refuses (the context is taken) is refused by the JVM the usual way.
        Run taken = run("", "gaiola", "vserver-new", clone + "x", "--context", "1211", "clone", "ld1", "--layered");
        assertThat(taken.status()).as(c).isNotZero();
        assertThat(taken.out()).as(c).contains("context 1211 is already used by guest 'lcnc'");
      }
    } finally {
      client = null;
      daemon.destroy();
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
      host.guests.stop(ld1);
      for (gaiola.config.GuestName n : clones) {
        if (Files.exists(host.configDir(n))) {
          host.guests.delete(n, true);
        }
      }
    }
  }
}
