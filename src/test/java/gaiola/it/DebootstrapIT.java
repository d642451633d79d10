package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gaiola.build.BuildMethod;
import gaiola.build.GuestAdjustments;
import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.HostException;
import gaiola.guest.GuestState;
import gaiola.host.Privileges;
import gaiola.host.Programs;
import gaiola.storage.Trees;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Debian bookworm (minbase, cron, procps) from debootstrap, booted with both init styles.
 * debootstrap runs once per class: the sysv guest is a copy of the plain guest's tree, adjusted
 * for its own name and style. The download cache lives outside the temporary root
 * ({@code /var/cache/gaiola-test/debootstrap}, or {@code GAIOLA_TEST_CACHE}), so a rerun, in CI
 * too, downloads nothing.
 */
@RequiresGuestHost
class DebootstrapIT {
  static final String CACHE =
      System.getenv().getOrDefault("GAIOLA_TEST_CACHE", "/var/cache/gaiola-test/debootstrap");
  static TestHost host;
  static GuestName plain;

  @BeforeAll
  static void setUp() throws Exception {
    boolean here = Programs.locate("debootstrap").isPresent();
    if (!here && "1".equals(System.getenv("GAIOLA_IT_MUST_RUN"))) {
      throw new AssertionError("debootstrap is not installed, and GAIOLA_IT_MUST_RUN=1 forbids skipping");
    }
    assumeTrue(here, "debootstrap is not installed");
    Privileges.becomeSubreaper();
    host = new TestHost();
    plain = host.build("deb-plain", 1201, InitStyle.PLAIN, method("bookworm", "--include=cron,procps"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  static BuildMethod method(String suite, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("-d", suite, "--variant", "minbase", "--cache", CACHE, "--"));
    args.addAll(List.of(extra));
    return BuildMethod.parse("debootstrap", args);
  }

  @Test
  void theTreeIsAdjustedForAGuest() throws Exception {
    Path vdir = host.guests.config(plain).vdir();
    assertThat(Files.readSymbolicLink(vdir.resolve("etc/mtab"))).isEqualTo(Path.of("/proc/mounts"));
    assertThat(Files.readString(vdir.resolve("etc/hostname"))).isEqualTo("deb-plain\n");
    assertThat(Files.readString(vdir.resolve("etc/hosts"))).contains("deb-plain");
    assertThat(Files.readAllLines(vdir.resolve("etc/inittab")))
        .filteredOn(l -> l.contains("getty"))
        .isNotEmpty()
        .allMatch(l -> l.startsWith("#"));
    assertThat(vdir.resolve("usr/sbin/policy-rc.d")).doesNotExist();
    try (Stream<Path> s = Files.list(vdir.resolve("etc/rcS.d"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith("hwclock.sh") || n.endsWith("mountall.sh"));
    }
    try (Stream<Path> s = Files.list(vdir.resolve("var/cache/apt/archives"))) {
      assertThat(s.map(Path::toString)).noneMatch(n -> n.endsWith(".deb"));
    }
  }

  @Test
  void plainBootsSysvinitWhichRunsCronAndStopsCleanly() throws Exception {
    GuestState.Running r = host.guests.start(plain);
    try {
      assertThat(host.exec(plain, "cat", "/proc/1/comm")).isEqualTo("init");
      assertThat(host.exec(plain, "readlink", "/proc/1/exe")).endsWith("sbin/init");
      assertThat(host.exec(plain, "hostname")).isEqualTo("deb-plain");
      host.awaitOutput(plain, "cron", "ps", "-eo", "comm");
      assertThat(host.exec(plain, "ps", "-eo", "comm")).doesNotContain("getty");
    } finally {
      host.guests.stop(plain);
    }
    assertStoppedWithoutProcesses(plain, r);
  }

  @Test
  void sysvRunsRunlevel3UnderTheReaperAndStopsCleanly() throws Exception {
    GuestName sysv = host.build("deb-sysv", 1202, InitStyle.SYSV, BuildMethod.parse("skeleton", List.of()));
    var config = host.guests.config(sysv);
    Path from = host.guests.config(plain).vdir();
    Trees.deleteContents(config.vdir());
    Process cp = new ProcessBuilder("cp", "-a", from + "/.", config.vdir().toString()).inheritIO().start();
    assertThat(cp.waitFor()).isZero();
    GuestAdjustments.apply(config.vdir(), config);
    GuestState.Running r = host.guests.start(sysv);
    try {
      assertThat(host.exec(sysv, "cat", "/proc/1/cmdline")).startsWith("/dev/.gaiola-init");
      assertThat(host.exec(sysv, "hostname")).isEqualTo("deb-sysv");
      // cron was started by 'rc 3' and outlived it, reaped by PID 1.
      assertThat(host.exec(sysv, "ps", "-eo", "comm")).contains("cron");
      assertThat(host.guests.status(sysv).processes()).isGreaterThanOrEqualTo(2);
    } finally {
      host.guests.stop(sysv);
    }
    assertStoppedWithoutProcesses(sysv, r);
  }

  @Test
  void aBadSuiteGivesDebootstrapsMessageAndLeavesNothing() throws Exception {
    assertThatThrownBy(() -> host.build("deb-bad", 1203, InitStyle.SYSV, method("nosuchsuite")))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("No such script");
    assertNothingLeft("deb-bad");
    try (Stream<Path> s = Files.list(Path.of(CACHE))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("nosuchsuite"));
    }
  }

  @Test
  void anUnreachableMirrorGivesDebootstrapsMessageAndLeavesNothing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path keyDir = Path.of(CACHE, "bookworm-amd64-minbase");
    List<String> before = listing(keyDir);
    BuildMethod m =
        BuildMethod.parse(
            "debootstrap",
            List.of("-d", "bookworm", "--variant", "minbase", "-m", "http://127.0.0.1:" + port + "/debian", "--cache", CACHE));
    assertThatThrownBy(() -> host.build("deb-unreach", 1204, InitStyle.SYSV, m))
        .isInstanceOf(HostException.class)
        .hasMessageContaining("Failed getting release file http://127.0.0.1:" + port);
    assertNothingLeft("deb-unreach");
    assertThat(listing(keyDir)).as("no tarball, scratch tree or partial file").isEqualTo(before);
  }

  private static List<String> listing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertNothingLeft(String name) throws Exception {
    assertThat(host.configDir(new GuestName(name))).doesNotExist();
    assertThat(host.guests.layout().vdirBase().resolve(name)).doesNotExist();
    host.assertNoLeftovers();
  }

  /** Stopped, and no process on the host has its root in the guest's tree any more. */
  private static void assertStoppedWithoutProcesses(GuestName g, GuestState.Running r) throws Exception {
    assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
    assertThat(Path.of("/proc", Long.toString(r.initPid()))).doesNotExist();
    Path vdir = host.guests.config(g).vdir().toRealPath();
    List<String> inside = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (Files.readSymbolicLink(p.resolve("root")).startsWith(vdir)) {
            inside.add(p.getFileName().toString());
          }
        } catch (IOException e) {
          // The process ended meanwhile.
        }
      }
    }
    assertThat(inside).as("processes left in %s", vdir).isEmpty();
  }
}
