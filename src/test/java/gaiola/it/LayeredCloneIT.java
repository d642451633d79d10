package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.build.BuildMethod;
import gaiola.config.ContextId;
import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.GaiolaException;
import gaiola.error.InvalidInputException;
import gaiola.guest.BuildRequest;
import gaiola.host.FileCalls;
import gaiola.host.FileStat;
import gaiola.host.Privileges;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code clone --layered}: the clone's own tree shares every file's inode with its source's, it
 * boots with its own identity, what it writes or deletes never reaches the source, a clone of a
 * layered clone carries its private branch (whiteouts included), deleting either side leaves the
 * other whole, and a failed clone leaves nothing of itself.
 */
@RequiresGuestHost
class LayeredCloneIT {
  /** The files a clone rewrites on purpose for its new identity (and the directory holding them). */
  static final Set<String> IDENTITY = Set.of("etc", "etc/hostname", "etc/hosts");

  static TestHost host;

  @BeforeAll
  static void setUp() throws Exception {
    Privileges.becomeSubreaper();
    host = new TestHost();
  }

  @AfterAll
  static void tearDown() throws Exception {
    host.close();
  }

  static Path vdir(GuestName g) {
    return host.root.resolve("vservers").resolve(g.value());
  }

  static Path layers(GuestName g) {
    return host.root.resolve("vservers/.layers").resolve(g.value());
  }

  @Test
  void aLayeredCloneSharesInodesBootsAsItselfAndOutlivesItsSource() throws Exception {
    GuestName src = host.busybox("lc-src", 5231, InitStyle.SYSV);
    Path data = Files.createDirectories(vdir(src).resolve("srv/data"));
    Files.writeString(data.resolve("private.txt"), "only in the source\n");
    Files.writeString(data.resolve("gone.txt"), "deleted in the clone\n");
    Map<String, String> srcBefore = Manifest.of(vdir(src));

    GuestName a = host.build("lc-a", 5232, InitStyle.SYSV, new BuildMethod.Clone(src, true));
    // The source became layered; what it holds is what it held.
    assertThat(host.configDir(src).resolve("union/branches")).isRegularFile();
    assertThat(Manifest.of(vdir(src))).isEqualTo(srcBefore);
    assertThat(host.warnings).anyMatch(w -> w.contains("lc-src's root becomes layered"));
    assertThat(Files.readAllLines(host.configDir(a).resolve("union/branches")))
        .contains(layers(a).resolve("tree").toString())
        .doesNotContain(layers(src).resolve("tree").toString());

    // Every file of the clone's own tree is a second name of the source's; directories are its own.
    Path srcTree = layers(src).resolve("tree");
    Path aTree = layers(a).resolve("tree");
    int shared = 0;
    try (Stream<Path> s = Files.walk(srcTree)) {
      for (Path p : s.toList()) {
        FileStat mine = FileStat.lstat(aTree.resolve(srcTree.relativize(p).toString()));
        FileStat theirs = FileStat.lstat(p);
        if (theirs.isDirectory()) {
          assertThat(mine.id()).as(p.toString()).isNotEqualTo(theirs.id());
          assertThat(mine.mode()).as(p.toString()).isEqualTo(theirs.mode());
        } else {
          assertThat(mine.id()).as(p.toString()).isEqualTo(theirs.id());
          shared++;
        }
      }
    }
    assertThat(shared).isGreaterThan(100);
    assertThat(overlayId(layers(a))).isNotEqualTo(overlayId(layers(src)));
    assertThat(Files.readString(layers(a).resolve("upper/etc/hostname"))).isEqualTo("lc-a\n");
    assertThat(template(vdir(a))).isEqualTo(template(vdir(src)));

    Map<String, String> srcTreeBefore = Manifest.of(srcTree);
    host.guests.start(a);
    try {
      assertThat(host.exec(a, "hostname")).isEqualTo("lc-a");
      assertThat(host.exec(a, "cat", "/srv/data/private.txt")).isEqualTo("only in the source");
      host.exec(a, "sh", "-c", "echo changed > /srv/data/private.txt && rm /srv/data/gone.txt"
          + " && echo new > /srv/data/new.txt && chmod 700 /srv/data && chmod 4755 /bin/busybox");
      assertThat(host.exec(a, "ls", "/srv/data")).doesNotContain("gone.txt").contains("new.txt");
    } finally {
      host.guests.stop(a);
    }
    assertThat(Manifest.of(vdir(src))).isEqualTo(srcBefore);
    assertThat(Manifest.of(srcTree)).isEqualTo(srcTreeBefore);
    Path whiteout = layers(a).resolve("upper/srv/data/gone.txt");
    assertThat(Files.readAttributes(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode")).isEqualTo(0020000);

    // A clone of the layered clone carries its private branch: changes, whiteout and all.
    GuestName b = host.build("lc-b", 5233, InitStyle.SYSV, new BuildMethod.Clone(a, true));
    assertThat(template(vdir(b))).isEqualTo(template(vdir(a)));
    assertThat(Files.readString(vdir(b).resolve("srv/data/private.txt"))).isEqualTo("changed\n");
    assertThat(vdir(b).resolve("srv/data/gone.txt")).doesNotExist();
    Map<String, String> aBefore = Manifest.of(vdir(a));
    Map<String, String> aTreeBefore = Manifest.of(aTree);

    // Deleting the clone leaves its source whole, and deleting the source leaves the clone whole.
    host.guests.delete(b, false);
    assertThat(layers(b)).doesNotExist();
    assertThat(Manifest.of(vdir(a))).isEqualTo(aBefore);
    assertThat(Manifest.of(aTree)).isEqualTo(aTreeBefore);
    host.guests.delete(src, false);
    assertThat(layers(src)).doesNotExist();
    assertThat(Manifest.of(aTree)).isEqualTo(aTreeBefore);
    host.guests.start(a);
    try {
      assertThat(host.exec(a, "hostname")).isEqualTo("lc-a");
      assertThat(host.exec(a, "cat", "/srv/data/private.txt", "/srv/data/new.txt")).isEqualTo("changed\nnew");
      assertThat(host.exec(a, "cat", "/etc/hostname")).isEqualTo("lc-a");
    } finally {
      host.guests.stop(a);
    }
  }

  @Test
  void aFailedLayeredCloneLeavesNothingOfItselfAndTheSourceAsItWas() throws Exception {
    GuestName src = host.busybox("lc-src2", 5235, InitStyle.SYSV);
    // Layered, with a whiteout in its private branch and, below it, a mount the copy must refuse.
    host.guests.unions().hide(src, "/srv", Optional.empty());
    Path upper = layers(src).resolve("upper");
    Path mountPoint = Files.createDirectories(upper.resolve("mnt/elsewhere"));
    run("mount", "-t", "tmpfs", "tmpfs", mountPoint.toString());
    try {
      Map<String, String> before = Manifest.of(layers(src).resolve("tree"));
      GuestName late = new GuestName("lc-late");
      assertThatThrownBy(() -> host.build("lc-late", 5236, InitStyle.SYSV, new BuildMethod.Clone(src, true)))
          .isInstanceOf(GaiolaException.class)
          .hasMessageContaining("mount point")
          .satisfies(e -> assertThat(((GaiolaException) e).oneLine()).contains("nothing was left behind"));
      assertThat(host.configDir(late)).doesNotExist();
      assertThat(vdir(late)).doesNotExist();
      assertThat(layers(late)).doesNotExist();
      assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(vdir(late).toString()));
      assertThat(Manifest.of(layers(src).resolve("tree"))).isEqualTo(before);
    } finally {
      run("umount", mountPoint.toString());
    }

    // A root on another filesystem cannot share inodes: refused before anything is made.
    Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "lc-root");
    try {
      GuestName far = new GuestName("lc-far");
      assertThatThrownBy(() -> host.guests.build(new BuildRequest(
              far, new BuildMethod.Clone(src, true), Optional.of(new ContextId(5237)), Optional.empty(),
              Optional.empty(), Optional.empty(), List.of(), Optional.of(shm.resolve("lc-far")))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("another filesystem");
      assertThat(host.configDir(far)).doesNotExist();
      try (Stream<Path> s = Files.list(shm)) {
        assertThat(s.toList()).isEmpty();
      }
    } finally {
      gaiola.storage.Trees.delete(shm);
    }
  }

  /** The tree as the template manifest sees it (metadata, xattrs, links), identity files aside. */
  private static Map<String, String> template(Path root) throws Exception {
    return gaiola.template.Manifest.of(root, IDENTITY);
  }

  /** overlayfs's persistent id of the overlay, on the root of its private branch. */
  private static String overlayId(Path layers) throws Exception {
    int fd = FileCalls.openat(FileCalls.AT_FDCWD, FileCalls.bytes(layers.resolve("upper").toString()), FileCalls.O_RDONLY | FileCalls.O_DIRECTORY, 0);
    try {
      for (var e : FileCalls.xattrs(fd, false, new byte[0]).entrySet()) {
        if (new String(e.getKey()).equals("trusted.overlay.uuid")) {
          return Arrays.toString(e.getValue());
        }
      }
      return "none";
    } finally {
      FileCalls.close(fd);
    }
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", List.of(argv), out).isZero();
  }
}
