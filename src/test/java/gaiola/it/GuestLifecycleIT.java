package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.StateException;
import gaiola.guest.GuestEnd;
import gaiola.guest.GuestState;
import gaiola.guest.GuestStatus;
import gaiola.host.Privileges;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real busybox guests under runc: isolation, init styles, stop, reboot and halt. */
@RequiresGuestHost
class GuestLifecycleIT {
  static TestHost host;

  @BeforeAll
  static void setUp() throws Exception {
    // As child subreaper the test JVM stays the parent of the guests' inits and sees how they end.
    Privileges.becomeSubreaper();
    host = new TestHost();
  }

  @AfterAll
  static void tearDown() throws Exception {
    host.close();
  }

  @Test
  void plainGuestRunsItsOwnInitAsPid1WithItsHostname() throws Exception {
    GuestName g = host.busybox("plain1", 1001, InitStyle.PLAIN);
    host.guests.start(g);
    try {
      // busybox init rewrites its argv; its comm and executable say who it is.
      assertThat(host.exec(g, "cat", "/proc/1/comm")).isEqualTo("init");
      assertThat(host.exec(g, "readlink", "/proc/1/exe")).isEqualTo("/bin/busybox");
      assertThat(host.exec(g, "hostname")).isEqualTo("plain1");
      // The guest's own limit, not the one the starting JVM raised for itself.
      assertThat(host.exec(g, "sh", "-c", "grep 'open files' /proc/1/limits")).contains("1024");
      // rc 3 ran from the inittab and started syslogd.
      // busybox init runs 'rc 3' from its inittab after start returned.
      host.awaitOutput(g, "syslogd", "ps");
      GuestStatus s = host.guests.status(g);
      assertThat(s.state()).isInstanceOf(GuestState.Running.class);
      assertThat(s.processes()).isGreaterThanOrEqualTo(2);
    } finally {
      host.guests.stop(g);
    }
    assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
  }

  @Test
  void sysvGuestRunsTheReaperAndItsRunlevelScripts() throws Exception {
    GuestName g = host.busybox("sysv1", 1002, InitStyle.SYSV);
    GuestState.Running r = host.guests.start(g);
    try {
      assertThat(host.exec(g, "cat", "/proc/1/cmdline")).startsWith("/dev/.gaiola-init");
      // The daemon that 'rc 3' started outlives the exec that started it, reaped by PID 1.
      assertThat(host.exec(g, "ps")).contains("syslogd");
      assertThat(host.guests.status(g).processes()).isGreaterThanOrEqualTo(2);
    } finally {
      host.guests.stop(g);
    }
    assertThat(Files.exists(java.nio.file.Path.of("/proc", Long.toString(r.initPid())))).isFalse();
  }

  @Test
  void guestsSeeNeitherTheHostsNorEachOthersProcesses() throws Exception {
    GuestName a = host.busybox("iso-a", 1003, InitStyle.SYSV);
    GuestName b = host.busybox("iso-b", 1004, InitStyle.SYSV);
    host.guests.start(a);
    host.guests.start(b);
    try {
      host.exec(b, "sh", "-c", "sleep 1000 >/dev/null 2>&1 &");
      String psA = host.exec(a, "ps", "-o", "pid,args");
      assertThat(psA).doesNotContain("sleep 1000").doesNotContain("java");
      assertThat(host.exec(b, "ps", "-o", "args")).contains("sleep 1000");
      // Host mounts (our private root, /work, the host's /etc) are not visible.
      String mounts = host.exec(a, "cat", "/proc/mounts");
      assertThat(mounts).doesNotContain(host.root.toString());
      assertThat(mounts.lines().filter(l -> l.contains(" / ")).count()).isEqualTo(1);
    } finally {
      host.guests.stop(a);
      host.guests.stop(b);
    }
  }

  @Test
  void theKernelIsProtected() throws Exception {
    GuestName g = host.busybox("guard1", 1005, InitStyle.SYSV);
    host.guests.start(g);
    try {
      var sysrq = host.guests.execCaptured(g, List.of("sh", "-c", "echo h > /proc/sysrq-trigger"));
      assertThat(sysrq.exitStatus()).isNotZero();
      // Masked: the host's kernel log reads as empty (/dev/null is bound over it).
      assertThat(host.exec(g, "cat", "/proc/kmsg")).isEmpty();
      // No module loading: insmod of anything fails (no CAP_SYS_MODULE, seccomp denies finit_module).
      var insmod = host.guests.execCaptured(g, List.of("insmod", "/bin/busybox"));
      assertThat(insmod.exitStatus()).isNotZero();
      var sysctl = host.guests.execCaptured(g, List.of("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"));
      assertThat(sysctl.exitStatus()).isNotZero();
      var mknod = host.guests.execCaptured(g, List.of("sh", "-c", "mknod /tmp/sda b 8 0 && cat /tmp/sda"));
      assertThat(mknod.exitStatus()).isNotZero();
      // No CAP_SYS_TIME: busybox date reports the failure but exits 0, so read the clock back.
      assertThat(host.exec(g, "sh", "-c", "date -s 2000-01-01 >/dev/null 2>&1; date +%Y")).isNotEqualTo("2000");
      assertThat(host.exec(g, "sh", "-c", "ls /sys/firmware | wc -l")).isEqualTo("0");
    } finally {
      host.guests.stop(g);
    }
  }

  @Test
  void rebootInsideEndsTheInitWithSighup() throws Exception {
    GuestName g = host.busybox("boot1", 1006, InitStyle.PLAIN);
    host.guests.start(g);
    host.guests.execCaptured(g, List.of("reboot", "-f"));
    GuestEnd end = host.guests.awaitEnd(g).orElseThrow();
    assertThat(end.reason()).isEqualTo(GuestEnd.Reason.REBOOT);
    assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
  }

  @Test
  void haltInsideEndsTheInitWithSigint() throws Exception {
    GuestName g = host.busybox("halt1", 1007, InitStyle.PLAIN);
    host.guests.start(g);
    host.guests.execCaptured(g, List.of("halt", "-f"));
    GuestEnd end = host.guests.awaitEnd(g).orElseThrow();
    assertThat(end.reason()).isEqualTo(GuestEnd.Reason.HALT);
  }

  @Test
  void startRefusesAMissingTreeOrAMissingInit() throws Exception {
    GuestName g = host.busybox("bare1", 1010, InitStyle.PLAIN);
    java.nio.file.Path vdir = host.guests.config(g).vdir();
    Files.delete(vdir.resolve("sbin/init"));
    assertThatThrownBy(() -> host.guests.start(g))
        .isInstanceOf(gaiola.error.InvalidInputException.class)
        .hasMessageContaining("init '/sbin/init' is missing");
    java.nio.file.Path moved = vdir.resolveSibling("bare1.moved");
    Files.move(vdir, moved);
    try {
      assertThatThrownBy(() -> host.guests.start(g))
          .isInstanceOf(gaiola.error.InvalidInputException.class)
          .hasMessageContaining("does not exist");
    } finally {
      Files.move(moved, vdir);
    }
    assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
    host.assertNoLeftovers();
  }

  @Test
  void execOnAStoppedGuestIsRefused() throws Exception {
    GuestName g = host.busybox("idle1", 1008, InitStyle.SYSV);
    assertThatThrownBy(() -> host.guests.execCaptured(g, List.of("true")))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("not running");
  }

  @Test
  void stopLeavesNoProcessEvenWhenServicesIgnoreTerm() throws Exception {
    GuestName g = host.busybox("stub1", 1009, InitStyle.SYSV);
    host.guests.config(g);
    Files.writeString(host.configDir(g).resolve("apps/init/killseq"), "15 1 9\n");
    GuestState.Running r = host.guests.start(g);
    host.exec(g, "sh", "-c", "trap '' TERM; (trap '' TERM; sleep 1000) >/dev/null 2>&1 &");
    var cgroupProcs = host.guests.status(g).processes();
    assertThat(cgroupProcs).isGreaterThanOrEqualTo(2);
    host.guests.stop(g);
    assertThat(Files.exists(java.nio.file.Path.of("/proc", Long.toString(r.initPid())))).isFalse();
    host.assertNoLeftovers();
  }

  @Test
  @org.junit.jupiter.api.Timeout(120) // without the bound, the stop would hang for ever: fail instead
  void aStopCommandThatNeverReturnsHasItsGuestKilledAfterTheGracePeriod() throws Exception {
    GuestName g = host.busybox("hang1", 1017, InitStyle.PLAIN);
    // util-vserver's cmd.stop, one argument a line: a stop that never ends.
    Files.writeString(host.configDir(g).resolve("apps/init/cmd.stop"), "/bin/sleep\n100000\n");
    GuestState.Running r = host.guests.start(g);
    host.guests.stop(g);
    assertThat(java.nio.file.Path.of("/proc", Long.toString(r.initPid()))).doesNotExist();
    assertThat(host.guests.state(g).isRunning()).isFalse();
    assertThat(host.warnings).anyMatch(w -> w.equals("guest 'hang1': its stop did not end within 30 s; its processes were killed"));
    host.assertNoLeftovers();
  }

  @Test
  void fastStopKillsEverythingAtOnceWithoutTheStopScripts() throws Exception {
    GuestName g = host.busybox("stfa1", 1011, InitStyle.SYSV);
    java.nio.file.Path vdir = host.guests.config(g).vdir();
    // A runlevel-6 script that leaves a mark: the graceful stop runs it, the fast one must not.
    java.nio.file.Path k = vdir.resolve("etc/rc6.d/K01mark");
    Files.createDirectories(k.getParent());
    Files.writeString(k, "#!/bin/sh\necho stopped > /stop-mark\n");
    k.toFile().setExecutable(true);
    host.guests.start(g);
    host.guests.stop(g);
    assertThat(vdir.resolve("stop-mark")).exists();
    Files.delete(vdir.resolve("stop-mark"));

    GuestState.Running r = host.guests.start(g);
    host.exec(g, "sh", "-c", "trap '' TERM; (trap '' TERM; sleep 1000) >/dev/null 2>&1 &");
    List<Long> before = host.guestPids(r.initPid());
    assertThat(before).hasSizeGreaterThanOrEqualTo(2);
    host.guests.stop(g, true);
    for (long pid : before) {
      assertThat(java.nio.file.Path.of("/proc", Long.toString(pid))).as("pid " + pid).doesNotExist();
    }
    assertThat(vdir.resolve("stop-mark")).doesNotExist();
    assertThat(host.guests.state(g).isRunning()).isFalse();
    host.assertNoLeftovers();
  }
}
