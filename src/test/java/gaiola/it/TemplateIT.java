package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gaiola.build.BuildMethod;
import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.StateException;
import gaiola.host.Privileges;
import gaiola.host.Programs;
import gaiola.storage.Progress;
import gaiola.template.Compression;
import gaiola.template.Manifest;
import gaiola.template.TarUnpack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Templates and clones of real guests, as root: a template round trip is byte-for-byte and
 * metadata-exact (owners, modes, times, hard links, devices, a file capability), a guest built
 * from it and a clone boot with their own identity, and the source is left as it was.
 */
@RequiresGuestHost
class TemplateIT {
  /** The files a copy rewrites on purpose for its new identity (and the directory holding them). */
  static final Set<String> IDENTITY = Set.of("etc", "etc/hostname", "etc/hosts");

  @BeforeAll
  static void setUp() throws Exception {
    boolean setcap = Programs.locate("setcap").isPresent() && Programs.locate("getcap").isPresent();
    if (!setcap && "1".equals(System.getenv("GAIOLA_IT_MUST_RUN"))) {
      throw new AssertionError("setcap/getcap (libcap2-bin) are missing, and GAIOLA_IT_MUST_RUN=1 forbids skipping");
    }
    assumeTrue(setcap, "setcap/getcap (libcap2-bin) are missing");
    Privileges.becomeSubreaper();
  }

  /** Gives a busybox guest every kind of entry a real system has. */
  static void enrich(Path vdir) throws Exception {
    run("setcap", "cap_net_raw+ep", vdir.resolve("bin/busybox").toString());
    run("mknod", "-m", "0620", vdir.resolve("dev/ttyS9").toString(), "c", "4", "73");
    run("mknod", vdir.resolve("dev/fifo").toString(), "p");
    Files.createDirectories(vdir.resolve("srv/data"));
    Files.writeString(vdir.resolve("srv/data/a"), "shared\n");
    Files.createLink(vdir.resolve("srv/data/b"), vdir.resolve("srv/data/a"));
    Files.setAttribute(vdir.resolve("srv/data/a"), "unix:uid", 4242);
    Files.setAttribute(vdir.resolve("srv/data/a"), "unix:gid", 4343);
    Files.setAttribute(vdir.resolve("srv/data"), "unix:mode", 02750);
    Files.getFileAttributeView(vdir.resolve("srv/data/a"), UserDefinedFileAttributeView.class)
        .write("origin", java.nio.ByteBuffer.wrap("template-it".getBytes()));
    Files.setLastModifiedTime(vdir.resolve("srv/data"), FileTime.from(Instant.ofEpochSecond(1_650_000_000L, 987_654_321)));
  }

  static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", List.of(argv), out).isZero();
    return out;
  }

  @Test
  void aTemplateRoundTripIsExactAndItsGuestBootsAsItself() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName src = host.busybox("tp-src", 5110, InitStyle.PLAIN);
      Path srcDir = host.guests.config(src).vdir();
      enrich(srcDir);
      Map<String, String> before = Manifest.of(srcDir);

      Path file = host.guests.templates().create("tp-base", "tp-src", false, Compression.ZSTD);
      assertThat(Manifest.of(srcDir)).isEqualTo(before);

      // Byte for byte and metadata-exact: the archive unpacked as it is.
      Path plain = Files.createDirectory(host.root.resolve("plain"));
      TarUnpack.unpack(file, plain, Progress.NONE);
      assertThat(Manifest.diff(before, Manifest.of(plain))).isEmpty();

      GuestName made = host.build("tp-made", 5111, InitStyle.PLAIN, new BuildMethod.Template(List.of("tp-base")));
      Path madeDir = host.guests.config(made).vdir();
      assertThat(Manifest.diff(Manifest.of(srcDir, IDENTITY), Manifest.of(madeDir, IDENTITY))).isEmpty();
      assertThat(run("getcap", madeDir.resolve("bin/busybox").toString())).contains("cap_net_raw=ep");

      host.guests.start(made);
      assertThat(host.exec(made, "hostname")).isEqualTo("tp-made");
      assertThat(host.exec(made, "cat", "/etc/hostname")).isEqualTo("tp-made");
      assertThat(host.exec(made, "cat", "/srv/data/b")).isEqualTo("shared");
      host.guests.stop(made);
      host.guests.templates().delete("tp-base");
    }
  }

  @Test
  void aCloneBootsWithItsNewIdentityWhileTheSourceIsUnchanged() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName src = host.busybox("tp-orig", 5112, InitStyle.SYSV);
      Path srcDir = host.guests.config(src).vdir();
      enrich(srcDir);
      Map<String, String> before = Manifest.of(srcDir);

      GuestName clone = host.build("tp-copy", 5113, InitStyle.SYSV, new BuildMethod.Clone(src));
      Path cloneDir = host.guests.config(clone).vdir();
      assertThat(Manifest.of(srcDir)).isEqualTo(before);
      assertThat(Manifest.diff(Manifest.of(srcDir, IDENTITY), Manifest.of(cloneDir, IDENTITY))).isEmpty();
      assertThat(Files.readString(cloneDir.resolve("etc/hostname"))).isEqualTo("tp-copy\n");
      assertThat(run("getcap", cloneDir.resolve("bin/busybox").toString())).contains("cap_net_raw=ep");

      host.guests.start(clone);
      assertThat(host.exec(clone, "hostname")).isEqualTo("tp-copy");
      assertThat(host.exec(clone, "grep", "127.0.1.1", "/etc/hosts")).contains("tp-copy").doesNotContain("tp-orig");
      host.guests.stop(clone);
      assertThat(Files.readString(srcDir.resolve("etc/hostname"))).isEqualTo("tp-orig\n");

      // A running source is neither cloned nor packed (unless forced), and nothing is left.
      host.guests.start(src);
      assertThatThrownBy(() -> host.build("tp-late", 5114, InitStyle.SYSV, new BuildMethod.Clone(src)))
          .isInstanceOf(StateException.class).hasMessageContaining("'tp-orig' is running");
      assertThat(host.configDir(new GuestName("tp-late"))).doesNotExist();
      assertThat(host.root.resolve("vservers/tp-late")).doesNotExist();
      assertThatThrownBy(() -> host.guests.templates().create("tp-live", "tp-orig", false, Compression.GZIP))
          .isInstanceOf(StateException.class).hasMessageContaining("is running")
          .satisfies(e -> assertThat(((StateException) e).oneLine()).contains("--force"));
      assertThat(host.guests.templates().list()).isEmpty();
      host.guests.templates().create("tp-live", "tp-orig", true, Compression.GZIP);
      assertThat(host.guests.templates().list()).extracting(t -> t.name()).containsExactly("tp-live");
      host.guests.stop(src);
    }
  }

  @Test
  void aDebootstrappedBookwormGuestRoundTripsAndItsCopyRunsItsServices() throws Exception {
    boolean debootstrap = Programs.locate("debootstrap").isPresent();
    boolean cache = Files.isDirectory(Path.of(DebootstrapIT.CACHE));
    if (!(debootstrap && cache) && "1".equals(System.getenv("GAIOLA_IT_MUST_RUN"))) {
      assertThat(debootstrap).as("debootstrap is installed (GAIOLA_IT_MUST_RUN=1)").isTrue();
    }
    assumeTrue(debootstrap, "debootstrap is not installed");
    assumeTrue(cache || "1".equals(System.getenv("GAIOLA_IT_MUST_RUN")), "no debootstrap test cache at " + DebootstrapIT.CACHE);
    try (TestHost host = new TestHost()) {
      GuestName deb = host.build("tp-deb", 5115, InitStyle.SYSV, DebootstrapIT.method("bookworm", "--include=cron,procps"));
      Path debDir = host.guests.config(deb).vdir();
      Map<String, String> before = Manifest.of(debDir);
      Path file = host.guests.templates().create("tp-bookworm", "tp-deb", false, Compression.ZSTD);
      Path plain = Files.createDirectory(host.root.resolve("plain"));
      TarUnpack.unpack(file, plain, Progress.NONE);
      assertThat(Manifest.diff(before, Manifest.of(plain))).isEmpty();

      GuestName made = host.build("tp-deb2", 5116, InitStyle.SYSV, new BuildMethod.Template(List.of("tp-bookworm")));
      host.guests.start(made);
      assertThat(host.exec(made, "hostname")).isEqualTo("tp-deb2");
      host.awaitOutput(made, "cron", "ps", "-eo", "comm");
      host.guests.stop(made);
      GuestName clone = host.build("tp-deb3", 5117, InitStyle.SYSV, new BuildMethod.Clone(made));
      host.guests.start(clone);
      assertThat(host.exec(clone, "cat", "/etc/hostname")).isEqualTo("tp-deb3");
      host.awaitOutput(clone, "cron", "ps", "-eo", "comm");
      host.guests.stop(clone);
    }
  }
}
