package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.InvalidInputException;
import gaiola.guest.GuestState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guest's fstab: bind,ro is truly read-only, rw binds and tmpfs work, escapes are refused. */
@RequiresGuestHost
class FstabMountIT {
  static TestHost host;

  @BeforeAll
  static void setUp() throws Exception {
    host = new TestHost();
  }

  @AfterAll
  static void tearDown() throws Exception {
    host.close();
  }

  @Test
  void bindReadOnlyRefusesWritesWhileReadWriteAccepts() throws Exception {
    GuestName g = host.busybox("mnt1", 1101, InitStyle.SYSV);
    Path ro = Files.createDirectories(host.root.resolve("share-ro"));
    Path rw = Files.createDirectories(host.root.resolve("share-rw"));
    Files.writeString(ro.resolve("readme"), "from the host\n");
    Files.writeString(
        host.configDir(g).resolve("fstab"),
        ro + " /srv/ro none bind,ro 0 0\n" + rw + " /srv/rw none bind 0 0\nnone /tmp tmpfs size=8m,mode=1777 0 0\n",
        StandardOpenOption.APPEND);
    Files.createDirectories(host.guests.config(g).vdir().resolve("srv/ro"));
    Files.createDirectories(host.guests.config(g).vdir().resolve("srv/rw"));
    host.guests.start(g);
    try {
      assertThat(host.exec(g, "cat", "/srv/ro/readme")).isEqualTo("from the host");
      var write = host.guests.execCaptured(g, List.of("sh", "-c", "echo x > /srv/ro/new"));
      assertThat(write.exitStatus()).isNotZero();
      assertThat(write.stderr()).containsIgnoringCase("read-only");
      var remount = host.guests.execCaptured(g, List.of("mount", "-o", "remount,rw", "/srv/ro"));
      assertThat(remount.exitStatus()).as("no CAP_SYS_ADMIN, no remount").isNotZero();
      host.exec(g, "sh", "-c", "echo y > /srv/rw/new");
      assertThat(Files.readString(rw.resolve("new"))).isEqualTo("y\n");
      assertThat(host.exec(g, "sh", "-c", "grep ' /tmp ' /proc/mounts")).contains("tmpfs");
      assertThat(Files.exists(ro.resolve("new"))).isFalse();
    } finally {
      host.guests.stop(g);
    }
  }

  @Test
  void aMountTargetWithDotDotIsRefusedAndNothingStarts() throws Exception {
    GuestName g = host.busybox("mnt2", 1102, InitStyle.SYSV);
    Files.writeString(
        host.configDir(g).resolve("fstab"), "/tmp /srv/../../etc none bind 0 0\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> host.guests.start(g))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fstab");
    assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
    host.assertNoLeftovers();
  }

  @Test
  void aFailedStartLeavesNothingBehind() throws Exception {
    GuestName g = host.busybox("mnt3", 1103, InitStyle.SYSV);
    // The source does not exist: runc fails half-way through create.
    Files.writeString(
        host.configDir(g).resolve("fstab"),
        host.root.resolve("missing") + " /srv none bind 0 0\n",
        StandardOpenOption.APPEND);
    assertThatThrownBy(() -> host.guests.start(g)).hasMessageContaining("'runc ").hasMessageContaining(" mnt3' failed");
    assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
    assertThat(Files.exists(host.guests.layout().runDir().resolve("bundles/mnt3"))).isFalse();
    host.assertNoLeftovers();
  }
}
