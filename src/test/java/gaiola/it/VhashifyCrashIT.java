package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;

import gaiola.host.FileStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * vhashify killed with SIGKILL at random moments while it links: every file keeps its content and
 * metadata (only temporary links named {@code .vhashify~*} may be left), and the next run finishes
 * the job and removes them.
 */
@RequiresGuestHost
class VhashifyCrashIT {
  static final int KILLS = 20;

  @Test
  void killedAtRandomMomentsNoFileChanges() throws Exception {
    Path root = Files.createTempDirectory("gaiola-crash-");
    Random random = new Random(5200);
    Path empty = Files.writeString(root.resolve("empty-excludes"), "");
    int killedMidRun = 0;
    try {
      // How long the linking takes on this machine, so that the kills spread over all of it.
      Path calibration = root.resolve("calibration");
      makeTree(calibration, random);
      Process c = vhashify(root.resolve("calibration-store"), empty, calibration);
      while (c.isAlive() && !hasObjectDir(root.resolve("calibration-store"))) {
        Thread.sleep(1);
      }
      long start = System.nanoTime();
      c.waitFor(60, TimeUnit.SECONDS);
      int window = (int) Math.max(5, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      for (int attempt = 0; attempt < 3 * KILLS && killedMidRun < KILLS; attempt++) {
        Path tree = root.resolve("t" + attempt);
        Path store = root.resolve("store" + attempt);
        makeTree(tree, random);
        Map<String, String> before = Manifest.of(tree);

        Process p = vhashify(store, empty, tree);
        // Wait until it started changing things (the store's first object directory), then a bit.
        while (p.isAlive() && !hasObjectDir(store)) {
          Thread.sleep(1);
        }
        Thread.sleep(random.nextInt(window));
        boolean alive = p.isAlive();
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        if (alive && p.exitValue() == 137) {
          killedMidRun++;
        }

        assertSameFiles(tree, before, true);
        // Finishing the job after the kill is checked on every fourth tree (a JVM start each).
        if (attempt % 4 != 0) {
          continue;
        }
        Process again = vhashify(store, empty, tree);
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(new String(again.getErrorStream().readAllBytes())).isZero();
        assertSameFiles(tree, before, false);
        // The job is done: the copies share one inode per file.
        assertThat(FileStat.lstat(tree.resolve("c0/f0")).id()).isEqualTo(FileStat.lstat(tree.resolve("c2/f0")).id());
      }
      System.out.printf("VhashifyCrashIT: %d kills hit a running vhashify (linking takes ~%d ms)%n", killedMidRun, window);
      assertThat(killedMidRun).as("kills that hit a running vhashify").isGreaterThanOrEqualTo(KILLS);
    } finally {
      new ProcessBuilder("rm", "-rf", "--one-file-system", root.toString()).inheritIO().start().waitFor();
    }
  }

  private static Process vhashify(Path store, Path excludes, Path tree) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv =
        new ArrayList<>(
            List.of(
                java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "gaiola.cli.Main", "vhashify", "--manually", "--destination", store.toString(),
                "--exclude", excludes.toString(), "--threads", "1", tree.toString()));
    return new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static boolean hasObjectDir(Path store) throws IOException {
    if (!Files.isDirectory(store)) {
      return false;
    }
    try (Stream<Path> s = Files.list(store)) {
      return s.anyMatch(Files::isDirectory);
    }
  }

  /** Three copies of a set of files of varied size, mode, owner and time. */
  private static void makeTree(Path tree, Random random) throws IOException {
    int files = 250;
    byte[][] contents = new byte[files][];
    for (int i = 0; i < files; i++) {
      contents[i] = new byte[16 + random.nextInt(8192)];
      random.nextBytes(contents[i]);
    }
    String[] modes = {"rw-r--r--", "rw-------", "rwxr-xr-x"};
    for (int c = 0; c < 3; c++) {
      Path dir = Files.createDirectories(tree.resolve("c" + c));
      for (int i = 0; i < files; i++) {
        Path f = Files.write(dir.resolve("f" + i), contents[i]);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(modes[i % 3]));
        if (i % 7 == 0) {
          Files.setAttribute(f, "unix:gid", 100 + c % 2);
        }
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_000L + i * 1000L));
      }
    }
  }

  private static void assertSameFiles(Path tree, Map<String, String> before, boolean tempsAllowed) throws IOException {
    Map<String, String> now = Manifest.of(tree);
    for (var e : before.entrySet()) {
      assertThat(now.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    for (String k : now.keySet()) {
      if (!before.containsKey(k)) {
        assertThat(tempsAllowed && Path.of(k).getFileName().toString().startsWith(".vhashify~"))
            .as("unexpected file %s", k)
            .isTrue();
      }
    }
  }

  @Test
  void noSpaceLeftStopsCleanlyWithNothingHalfReplaced() throws Exception {
    Path mnt = Files.createTempDirectory("gaiola-enospc-");
    assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=32m,nr_inodes=400", "tmpfs", mnt.toString())
        .inheritIO().start().waitFor()).isZero();
    try {
      for (String copy : List.of("a", "b")) {
        Path d = Files.createDirectories(mnt.resolve("tree").resolve(copy));
        Random same = new Random(7);
        for (int i = 0; i < 60; i++) {
          byte[] content = new byte[100 + same.nextInt(4000)];
          same.nextBytes(content);
          Files.write(d.resolve("f" + i), content);
          Files.setLastModifiedTime(d.resolve("f" + i), FileTime.fromMillis(1_600_000_000_000L));
        }
      }
      Path store = Files.createDirectories(mnt.resolve("store"));
      Files.createFile(store.resolve(".lock"));
      Path empty = Files.writeString(mnt.resolve("empty"), "");
      Map<String, String> before = Manifest.of(mnt.resolve("tree"));
      // Use up the inodes but three: three object directories fit, the fourth does not.
      Path filler = Files.createDirectories(mnt.resolve("filler"));
      List<Path> made = new ArrayList<>();
      try {
        for (int i = 0; ; i++) {
          made.add(Files.createFile(filler.resolve("x" + i)));
        }
      } catch (IOException full) {
        // The filesystem has no inode left.
      }
      for (int i = 0; i < 3; i++) {
        Files.delete(made.removeLast());
      }
      Process p = vhashify(store, empty, mnt.resolve("tree"));
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = new String(p.getErrorStream().readAllBytes());
      assertThat(p.exitValue()).as(err).isNotZero();
      assertThat(err).contains("no space left").contains("untouched");
      assertSameFiles(mnt.resolve("tree"), before, false);
    } finally {
      new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
      Files.deleteIfExists(mnt);
    }
  }
}
