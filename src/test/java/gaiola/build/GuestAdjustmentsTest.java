package gaiola.build;

import static org.assertj.core.api.Assertions.assertThat;

import gaiola.config.ContextId;
import gaiola.config.Fstab;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.InitConfig;
import gaiola.config.InitStyle;
import gaiola.config.Uts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adjustments on a small tree shaped like a debootstrapped one. */
class GuestAdjustmentsTest {
  @TempDir Path vdir;

  GuestConfig config(InitStyle style) {
    return new GuestConfig(
        new GuestName("deb1"), new ContextId(1101), vdir, new Uts("deb1", Optional.of("example.org")),
        InitConfig.DEFAULT.withStyle(style), Fstab.defaultEntries(), List.of(), List.of());
  }

  void tree() throws Exception {
    Path etc = Files.createDirectories(vdir.resolve("etc"));
    Files.writeString(
        etc.resolve("inittab"),
        """
        id:2:initdefault:
        si::sysinit:/etc/init.d/rcS
        l3:3:wait:/etc/init.d/rc 3
        1:2345:respawn:/sbin/getty --noclear 38400 tty1
        2:23:respawn:/sbin/getty 38400 tty2
        #T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100
        """);
    Files.createDirectories(etc.resolve("rsyslog.d"));
    Files.writeString(etc.resolve("rsyslog.conf"), "module(load=\"imuxsock\")\nmodule(load=\"imklog\")\n#module(load=\"imklog\")\n");
    Files.writeString(etc.resolve("rsyslog.d/old.conf"), "$ModLoad imklog\n");
    for (String l : List.of("rcS.d/S01hwclock.sh", "rcS.d/S06mountall.sh", "rcS.d/S10bootmisc.sh", "rc3.d/S01cron",
        "rc6.d/K05reboot", "rc0.d/K05halt", "rc6.d/K01sendsigs", "rc6.d/K03umountfs", "rcS.d/S01procps")) {
      Path link = etc.resolve(l);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of("../init.d/" + l.substring(l.indexOf('/') + 4)));
    }
    Files.writeString(etc.resolve("mtab"), "stale\n");
    Files.createDirectories(vdir.resolve("usr/sbin"));
    Files.writeString(vdir.resolve("usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n");
    Files.createDirectories(vdir.resolve("var/cache/apt/archives/partial"));
    Files.writeString(vdir.resolve("var/cache/apt/archives/cron_3.0_amd64.deb"), "x");
    Files.writeString(vdir.resolve("var/cache/apt/pkgcache.bin"), "x");
  }

  @Test
  void plainGuest() throws Exception {
    tree();
    GuestAdjustments.apply(vdir, config(InitStyle.PLAIN));
    Path etc = vdir.resolve("etc");
    List<String> inittab = Files.readAllLines(etc.resolve("inittab"));
    assertThat(inittab).filteredOn(l -> l.contains("getty")).hasSize(3).allMatch(l -> l.startsWith("#"));
    assertThat(inittab).contains("l3:3:wait:/etc/init.d/rc 3", "si::sysinit:/etc/init.d/rcS");
    assertThat(Files.readAllLines(etc.resolve("rsyslog.conf")))
        .containsExactly("module(load=\"imuxsock\")", "#gaiola: no kernel log in a guest# module(load=\"imklog\")", "#module(load=\"imklog\")");
    assertThat(Files.readString(etc.resolve("rsyslog.d/old.conf"))).startsWith("#gaiola");
    assertThat(Files.readSymbolicLink(etc.resolve("mtab"))).isEqualTo(Path.of("/proc/mounts"));
    assertThat(Files.readString(etc.resolve("hostname"))).isEqualTo("deb1\n");
    assertThat(Files.readString(etc.resolve("hosts"))).contains("deb1.example.org deb1");
    assertThat(etc.resolve("rcS.d/S01hwclock.sh")).doesNotExist();
    assertThat(etc.resolve("rcS.d/S06mountall.sh")).doesNotExist();
    assertThat(etc.resolve("rcS.d/S01procps")).doesNotExist();
    assertThat(etc.resolve("rc6.d/K03umountfs")).doesNotExist();
    assertThat(Files.isSymbolicLink(etc.resolve("rcS.d/S10bootmisc.sh"))).isTrue();
    assertThat(Files.isSymbolicLink(etc.resolve("rc3.d/S01cron"))).isTrue();
    assertThat(Files.isSymbolicLink(etc.resolve("rc6.d/K01sendsigs"))).isTrue();
    // sysvinit as PID 1 powers the guest off through halt.
    assertThat(Files.isSymbolicLink(etc.resolve("rc0.d/K05halt"))).isTrue();
    assertThat(vdir.resolve("usr/sbin/policy-rc.d")).doesNotExist();
    assertThat(vdir.resolve("var/cache/apt/archives/cron_3.0_amd64.deb")).doesNotExist();
    assertThat(vdir.resolve("var/cache/apt/pkgcache.bin")).doesNotExist();
    assertThat(vdir.resolve("var/cache/apt/archives/partial")).isDirectory();
  }

  @Test
  void sysvGuestKeepsRc6FromRebootingTheReaper() throws Exception {
    tree();
    GuestAdjustments.apply(vdir, config(InitStyle.SYSV));
    assertThat(vdir.resolve("etc/rc6.d/K05reboot")).doesNotExist();
    assertThat(vdir.resolve("etc/rc0.d/K05halt")).doesNotExist();
    assertThat(Files.isSymbolicLink(vdir.resolve("etc/rc6.d/K01sendsigs"))).isTrue();
  }

  @Test
  void aTreeWithoutTheseFilesIsLeftAlone() throws Exception {
    GuestAdjustments.apply(vdir, config(InitStyle.SYSV));
    assertThat(Files.readSymbolicLink(vdir.resolve("etc/mtab"))).isEqualTo(Path.of("/proc/mounts"));
    assertThat(vdir.resolve("etc/inittab")).doesNotExist();
  }
}
