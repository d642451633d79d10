package gaiola.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line through picocli's execute(), with captured output and a private root. */
class CliTest extends CommandLineTest {
  @Test
  void buildsASkeletonInUtilVserversLayout() throws Exception {
    assertThat(run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001", "--hostname", "web")).isZero();
    Path cfg = root.resolve("etc/vservers/vs01");
    assertThat(Files.readString(cfg.resolve("context")).strip()).isEqualTo("1001");
    assertThat(Files.readString(cfg.resolve("uts/nodename")).strip()).isEqualTo("web");
    assertThat(Files.readSymbolicLink(cfg.resolve("vdir"))).isEqualTo(root.resolve("vservers/vs01"));
    for (String d : new String[] {"dev", "proc", "sys", "tmp", "etc", "root", "var"}) {
      assertThat(root.resolve("vservers/vs01").resolve(d)).isDirectory();
    }
    assertThat(Files.readString(root.resolve("vservers/vs01/etc/hostname"))).isEqualTo("web\n");
  }

  @Test
  void withoutAContextTheNextFreeFrom40000IsTaken() throws Exception {
    assertThat(run("vserver", "a", "build", "-m", "skeleton")).isZero();
    assertThat(run("vserver", "b", "build", "-m", "skeleton")).isZero();
    assertThat(Files.readString(root.resolve("etc/vservers/a/context")).strip()).isEqualTo("40000");
    assertThat(Files.readString(root.resolve("etc/vservers/b/context")).strip()).isEqualTo("40001");
  }

  @Test
  void statusOfAStoppedGuestExits3AndRunningExits1() {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    assertThat(run("vserver", "vs01", "status")).isEqualTo(3);
    assertThat(out.toString()).contains("Vserver 'vs01' is stopped");
    assertThat(run("vserver", "vs01", "running")).isEqualTo(1);
    assertThat(run("vserver", "vs01", "status", "--json")).isEqualTo(3);
    assertThat(out.toString()).contains("\"state\" : \"stopped\"").contains("\"context\" : 1001");
    // util-vserver also takes the context id in place of the name.
    assertThat(run("vserver", "1001", "status")).isEqualTo(3);
  }

  @Test
  void listShowsEveryGuest() {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    run("vserver", "vs02", "build", "-m", "skeleton", "--context", "1002", "--initstyle", "plain");
    assertThat(run("list")).isZero();
    assertThat(out.toString()).contains("vs01").contains("vs02").contains("plain");
    assertThat(run("list", "--json")).isZero();
    assertThat(out.toString()).contains("\"name\" : \"vs02\"");
  }

  @Test
  void badInputGetsOneLineAndChangesNothing() throws Exception {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    String[][] cases = {
      {"duplicate name", "vserver", "vs01", "build", "-m", "skeleton", "--context", "1005"},
      {"duplicate context", "vserver", "vs02", "build", "-m", "skeleton", "--context", "1001"},
      {"context out of range", "vserver", "vs03", "build", "-m", "skeleton", "--context", "50000"},
      {"context not a number", "vserver", "vs03", "build", "-m", "skeleton", "--context", "x1"},
      {"illegal name", "vserver", "bad/name", "build", "-m", "skeleton"},
      {"illegal hostname", "vserver", "vs04", "build", "-m", "skeleton", "--hostname", "no_underscores!"},
      {"unknown method", "vserver", "vs05", "build", "-m", "gentoo-stage9"},
      {"unknown init style", "vserver", "vs06", "build", "-m", "skeleton", "--initstyle", "upstart"},
      {"bad interface", "vserver", "vs07", "build", "-m", "skeleton", "--interface", "eth0:300.1.2.3/24"},
      {"vdir is /", "vserver", "vs08", "build", "-m", "skeleton", "--rootdir", "/"},
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      assertThat(run(args)).as(c[0]).isNotZero();
      assertThat(err.toString().strip().lines().count()).as(c[0] + ": " + err).isEqualTo(1);
      assertThat(err.toString()).as(c[0]).startsWith("gaiola: ");
    }
    assertThat(err.toString()).isNotEmpty();
    try (var s = Files.list(root.resolve("etc/vservers"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("vs01");
    }
    try (var s = Files.list(root.resolve("vservers"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("vs01");
    }
  }

  @Test
  void errorsNameTheValue() {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    run("vserver", "vs02", "build", "-m", "skeleton", "--context", "1001");
    assertThat(err.toString()).contains("context 1001 is already used by guest 'vs01'");
    run("vserver", "vs03", "build", "-m", "skeleton", "--context", "50000");
    assertThat(err.toString()).contains("50000").contains("2 to 49151");
    run("vserver", "nosuch", "status");
    assertThat(err.toString()).contains("guest 'nosuch' does not exist");
    assertThat(run("vserver", "vs01", "frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'frobnicate'");
  }

  @Test
  void aMalformedConfigurationFileIsNamedWithItsText() throws Exception {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    Files.writeString(root.resolve("etc/vservers/vs01/context"), "ten\n");
    assertThat(run("vserver", "vs01", "status")).isNotZero();
    assertThat(err.toString()).contains("vs01/context").contains("ten");
    Files.writeString(root.resolve("etc/vservers/vs01/context"), "1001\n");
    Files.writeString(root.resolve("etc/vservers/vs01/fstab"), "none /mnt nfs defaults 0 0\n");
    assertThat(run("vserver", "vs01", "status")).isNotZero();
    assertThat(err.toString()).contains("vs01/fstab:1").contains("nfs");
  }

  @Test
  void unknownFilesAreNotedOnlyWithVerbose() throws Exception {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    Files.writeString(root.resolve("etc/vservers/vs01/frobs"), "1\n");
    assertThat(run("vserver", "vs01", "status")).isEqualTo(3);
    assertThat(err.toString()).doesNotContain("frobs");
    assertThat(run("vserver", "vs01", "status", "--verbose")).isEqualTo(3);
    assertThat(err.toString()).contains("frobs");
  }

  @Test
  void deleteRemovesConfigurationAndTreeButNeverFollowsALinkOut() throws Exception {
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("canary"), "alive");
    run("vserver", "vs01", "build", "-m", "busybox", "--context", "1001");
    Path vdir = root.resolve("vservers/vs01");
    Files.createSymbolicLink(vdir.resolve("root/escape"), outside);
    Files.createSymbolicLink(vdir.resolve("escape-file"), outside.resolve("canary"));
    int status = run("vserver", "vs01", "delete");
    if (gaiola.host.Privileges.isRoot()) {
      assertThat(status).as(err.toString()).isZero();
      assertThat(vdir).doesNotExist();
      assertThat(root.resolve("etc/vservers/vs01")).doesNotExist();
    } else {
      assertThat(err.toString()).contains("needs root");
    }
    assertThat(Files.readString(outside.resolve("canary"))).isEqualTo("alive");
  }

  @Test
  void debootstrapArgumentsPassThroughBothDoubleDashes() throws Exception {
    // A second '--' reaches the method: the reserved option is refused by its parser, not picocli.
    assertThat(run("vserver", "d1", "build", "-m", "debootstrap", "--", "-d", "bookworm", "--", "--cache-dir=/x"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--cache-dir cannot be given");
    assertThat(run("vserver", "d1", "build", "-m", "debootstrap", "--", "-d", "../x")).isEqualTo(2);
    assertThat(err.toString()).contains("suite '../x' is not a suite name");
    assertThat(run("vserver", "d1", "build", "-m", "debootstrap", "--initstyle", "gentoo", "--", "-d", "bookworm"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("cannot boot a Debian guest");
    assertThat(root.resolve("etc/vservers/d1")).doesNotExist();
    assertThat(root.resolve("vservers/d1")).doesNotExist();
  }
}
