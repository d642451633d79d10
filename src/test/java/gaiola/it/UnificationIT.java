package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.InvalidInputException;
import gaiola.error.StateException;
import gaiola.host.FileStat;
import gaiola.host.Privileges;
import gaiola.storage.unify.DiskUsage;
import gaiola.storage.unify.Vhashify;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two guests with the same files, unified: shared inodes with the store, private bytes by vdu,
 * and copy-on-write -- what one guest (or the host through its root) changes, the other guest and
 * the store never see.
 */
@RequiresGuestHost
class UnificationIT {
  static TestHost host;
  static GuestName a;
  static GuestName b;
  static final String DATA = "unified data, long enough to be a candidate\n";

  @BeforeAll
  static void setUp() throws Exception {
    Privileges.becomeSubreaper();
    host = new TestHost();
    a = host.busybox("un-a", 5201, InitStyle.SYSV);
    b = host.busybox("un-b", 5202, InitStyle.SYSV);
    for (GuestName g : List.of(a, b)) {
      Path opt = Files.createDirectories(vdir(g).resolve("opt/data"));
      for (String f : List.of("write.txt", "append.txt", "truncate.txt", "chmod.txt", "rename.txt", "unlink.txt", "host.txt")) {
        Files.writeString(opt.resolve(f), f + ": " + DATA);
      }
      Files.writeString(opt.resolve("mode.txt"), DATA);
      Files.writeString(opt.resolve("owner.txt"), DATA);
      Files.writeString(vdir(g).resolve("etc/excluded.conf"), DATA);
      Files.writeString(opt.resolve("tiny"), "0123456789");
      for (Path p : List.of(opt.resolve("write.txt"), opt.resolve("mode.txt"), opt.resolve("owner.txt"))) {
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
      }
    }
    // Same content, other metadata: never merged.
    Files.setPosixFilePermissions(vdir(b).resolve("opt/data/mode.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.setAttribute(vdir(b).resolve("opt/data/owner.txt"), "unix:uid", 1000);
    // Same mtime everywhere, so that files of a and b (written a moment apart) may merge.
    try (var s = Files.walk(vdir(a).resolve("opt/data"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        Files.setLastModifiedTime(vdir(b).resolve(vdir(a).relativize(p)), java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
      }
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    host.close();
  }

  static Path vdir(GuestName g) {
    return host.root.resolve("vservers").resolve(g.value());
  }

  static Path tree(GuestName g) {
    return host.root.resolve("vservers/.layers").resolve(g.value()).resolve("tree");
  }

  static Path store() {
    return host.root.resolve("vservers/.hash");
  }

  @Test
  void unifiedClonesShareInodesAndWritesStayPrivate() throws Exception {
    long excludedIno = FileStat.lstat(vdir(a).resolve("etc/excluded.conf")).ino();
    long privateBefore = DiskUsage.of(vdir(a)).privateBytes();

    Vhashify.Result ra = host.guests.vhashify(a, Vhashify.Options.defaults(), Optional.empty(), Optional.empty());
    Vhashify.Result rb = host.guests.vhashify(b, Vhashify.Options.defaults(), Optional.empty(), Optional.empty());
    assertThat(ra.newObjects()).isPositive();
    assertThat(rb.linked()).isGreaterThanOrEqualTo(8);

    // Identical files: one inode, shared with the store.
    for (String f : List.of("bin/busybox", "opt/data/write.txt", "opt/data/append.txt")) {
      FileStat fa = FileStat.lstat(tree(a).resolve(f));
      FileStat fb = FileStat.lstat(tree(b).resolve(f));
      assertThat(fa.id()).as(f).isEqualTo(fb.id());
      assertThat(fa.nlink()).as(f).isGreaterThanOrEqualTo(3);
      assertThat(Manifest.storeInodes(store())).contains(fa.ino());
    }
    // Differing mode or owner: separate inodes; too small or excluded: untouched.
    for (String f : List.of("opt/data/mode.txt", "opt/data/owner.txt")) {
      assertThat(FileStat.lstat(tree(a).resolve(f)).id()).as(f).isNotEqualTo(FileStat.lstat(tree(b).resolve(f)).id());
    }
    assertThat(FileStat.lstat(tree(a).resolve("opt/data/tiny")).nlink()).isEqualTo(1);
    FileStat excluded = FileStat.lstat(tree(a).resolve("etc/excluded.conf"));
    assertThat(excluded.ino()).isEqualTo(excludedIno);
    assertThat(excluded.nlink()).isEqualTo(1);

    // vdu: the shared busybox is no longer a's own.
    DiskUsage ua = DiskUsage.of(vdir(a));
    long busybox = FileStat.lstat(tree(a).resolve("bin/busybox")).blocks() * 512;
    assertThat(privateBefore).isGreaterThan(busybox);
    assertThat(ua.privateBytes()).isLessThan(privateBefore - busybox + 1);
    assertThat(ua.sharedBytes()).isGreaterThanOrEqualTo(busybox);

    // A second run recognises the linked inodes and changes nothing.
    Vhashify.Result again = host.guests.vhashify(a, Vhashify.Options.defaults(), Optional.empty(), Optional.empty());
    assertThat(again.linked()).isZero();
    assertThat(again.newObjects()).isZero();
    assertThat(again.bytesHashed()).isZero();
    assertThat(again.alreadyShared()).isEqualTo(again.candidates());

    Map<String, String> storeBefore = Manifest.of(store());
    Map<String, String> bBefore = Manifest.of(tree(b));
    host.guests.start(a);
    host.guests.start(b);
    try {
      host.exec(a, "sh", "-c",
          "echo new > /opt/data/write.txt && echo more >> /opt/data/append.txt"
              + " && : > /opt/data/truncate.txt && chmod 600 /opt/data/chmod.txt"
              + " && mv /opt/data/rename.txt /opt/data/renamed.txt && rm /opt/data/unlink.txt");
      assertThat(host.exec(a, "cat", "/opt/data/write.txt")).isEqualTo("new");
      assertThat(host.exec(a, "cat", "/opt/data/append.txt")).endsWith("more");
      assertThat(host.exec(a, "stat", "-c", "%s", "/opt/data/truncate.txt")).isEqualTo("0");
      assertThat(host.exec(a, "stat", "-c", "%a", "/opt/data/chmod.txt")).isEqualTo("600");
      assertThat(host.exec(a, "ls", "/opt/data")).doesNotContain("unlink.txt").contains("renamed.txt");
      // The other guest sees its files as they were.
      assertThat(host.exec(b, "cat", "/opt/data/write.txt")).isEqualTo("write.txt: " + DATA.strip());
      assertThat(host.exec(b, "stat", "-c", "%a %s", "/opt/data/chmod.txt")).startsWith("644 ");
      assertThat(host.exec(b, "ls", "/opt/data")).contains("unlink.txt", "rename.txt");
      // The host's append through b's root copies up as well (the seed's echo "test" >> a02/x).
      Files.writeString(vdir(b).resolve("opt/data/host.txt"), "test\n", java.nio.file.StandardOpenOption.APPEND);
      assertThat(host.exec(b, "cat", "/opt/data/host.txt")).endsWith("test");
      assertThat(host.exec(a, "cat", "/opt/data/host.txt")).isEqualTo("host.txt: " + DATA.strip());
      // Unifying a running guest is safe.
      host.guests.vhashify(b, Vhashify.Options.defaults(), Optional.empty(), Optional.empty());
      assertThat(host.exec(b, "cat", "/opt/data/host.txt")).endsWith("test");
    } finally {
      host.guests.stop(a);
      host.guests.stop(b);
    }
    assertThat(Manifest.of(store())).isEqualTo(storeBefore);
    assertThat(Manifest.of(tree(b))).isEqualTo(bBefore);
    assertThat(Files.readString(host.root.resolve("vservers/.layers/un-a/upper/opt/data/write.txt"))).isEqualTo("new\n");
  }

  @Test
  void aStoreOnAnotherFilesystemIsRefusedBeforeAnyChange() throws Exception {
    GuestName c = host.busybox("un-c", 5203, InitStyle.SYSV);
    Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "un-store");
    try {
      assertThatThrownBy(
              () -> host.guests.vhashify(c, Vhashify.Options.defaults(), Optional.of(shm.resolve("hash")), Optional.empty()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("another filesystem");
      assertThat(shm.resolve("hash")).doesNotExist();
      assertThat(host.configDir(c).resolve("union")).doesNotExist();
      assertThat(vdir(c).resolve("bin/busybox")).exists();
      assertThat(host.root.resolve("vservers/.layers/un-c")).doesNotExist();
      assertThatThrownBy(
              () -> host.guests.vhashify(c, Vhashify.Options.defaults(), Optional.empty(), Optional.of(host.root.resolve("no-such-list"))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("no-such-list");
      assertThat(host.configDir(c).resolve("union")).doesNotExist();
      // The first unification moves the tree: not while the guest runs.
      host.guests.start(c);
      try {
        assertThatThrownBy(() -> host.guests.vhashify(c, Vhashify.Options.defaults(), Optional.empty(), Optional.empty()))
            .isInstanceOf(StateException.class);
        assertThat(host.configDir(c).resolve("union")).doesNotExist();
      } finally {
        host.guests.stop(c);
      }
    } finally {
      gaiola.storage.Trees.delete(shm);
    }
  }

  @Test
  void aUnifiedGuestIsClonedThroughItsOverlayEvenAfterItWasUnmounted() throws Exception {
    GuestName d = host.busybox("un-d", 5204, InitStyle.SYSV);
    host.guests.vhashify(d, Vhashify.Options.defaults(), Optional.empty(), Optional.empty());
    Files.writeString(vdir(d).resolve("etc/only-in-upper"), "private\n");
    // As after a host reboot: the overlay is gone, the root tree is an empty mount point.
    assertThat(new ProcessBuilder("umount", vdir(d).toString()).inheritIO().start().waitFor()).isZero();
    assertThat(vdir(d).resolve("bin/busybox")).doesNotExist();
    GuestName e = host.build("un-e", 5205, InitStyle.SYSV, new gaiola.build.BuildMethod.Clone(d));
    assertThat(vdir(e).resolve("bin/busybox")).exists();
    assertThat(Files.readString(vdir(e).resolve("etc/only-in-upper"))).isEqualTo("private\n");
    assertThat(vdir(d).resolve("bin/busybox")).exists();
  }
}
