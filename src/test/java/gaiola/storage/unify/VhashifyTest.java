package gaiola.storage.unify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import gaiola.host.FileStat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store and vhashify on a temporary directory (no guest, no overlay). */
class VhashifyTest {
  @TempDir Path dir;
  final List<String> notes = new ArrayList<>();

  Vhashify.Options options(boolean dryRun) {
    return new Vhashify.Options(16, false, dryRun, false, Excludes.none(), 2);
  }

  Path file(String rel, String content) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.fromMillis(1_600_000_000_000L));
    return p;
  }

  Vhashify.Result run(Vhashify.Options o, Path... trees) throws Exception {
    try (HashStore store = HashStore.open(dir.resolve("store"), dir, notes::add)) {
      return new Vhashify(store, o, notes::add).run(List.of(trees));
    }
  }

  @Test
  void identicalFilesBecomeOneInodeWithTheStoreAndOthersStayApart() throws Exception {
    String text = "the same content in both trees\n";
    Path a = file("a/x", text);
    Path b = file("b/sub/x", text);
    Path mode = file("b/mode", text);
    Files.setPosixFilePermissions(mode, PosixFilePermissions.fromString("rw-------"));
    Path small = file("a/small", "tiny");
    Path other = file("a/other", "another content entirely\n");

    Vhashify.Result r = run(options(false), dir.resolve("a"), dir.resolve("b"));
    assertThat(FileStat.lstat(a).id()).isEqualTo(FileStat.lstat(b).id());
    assertThat(FileStat.lstat(a).nlink()).isEqualTo(3);
    assertThat(FileStat.lstat(mode).id()).isNotEqualTo(FileStat.lstat(a).id());
    assertThat(FileStat.lstat(small).nlink()).isEqualTo(1);
    assertThat(FileStat.lstat(other).nlink()).isEqualTo(2);
    assertThat(Files.readString(b)).isEqualTo(text);
    assertThat(Files.getLastModifiedTime(b).toMillis()).isEqualTo(1_600_000_000_000L);
    assertThat(r.linked()).isEqualTo(1);
    assertThat(r.newObjects()).isEqualTo(3);
    assertThat(Files.getPosixFilePermissions(dir.resolve("store")))
        .containsExactlyInAnyOrderElementsOf(PosixFilePermissions.fromString("rwx------"));

    Vhashify.Result again = run(options(false), dir.resolve("a"), dir.resolve("b"));
    assertThat(again.alreadyShared()).isEqualTo(again.candidates());
    assertThat(again.bytesHashed()).isZero();
  }

  @Test
  void aDryRunSaysWhatWouldBeSharedAndChangesNothing() throws Exception {
    Path a = file("a/x", "some content long enough\n");
    Path b = file("b/x", "some content long enough\n");
    long inoA = FileStat.lstat(a).ino();
    Vhashify.Result r = run(options(true), dir.resolve("a"), dir.resolve("b"));
    assertThat(r.linked()).isEqualTo(1);
    assertThat(r.bytesSaved()).isEqualTo(Files.size(a));
    assertThat(FileStat.lstat(a).ino()).isEqualTo(inoA);
    assertThat(FileStat.lstat(b).nlink()).isEqualTo(1);
  }

  @Test
  void aTemporaryLinkLeftByAKilledRunIsRemoved() throws Exception {
    Path a = file("a/x", "content for a leftover link\n");
    run(options(false), dir.resolve("a"));
    Path leftover = dir.resolve("a/" + Vhashify.TEMP_PREFIX + "123.1");
    Files.createLink(leftover, a);
    run(options(false), dir.resolve("a"));
    assertThat(leftover).doesNotExist();
    // A file of the guest that merely has the name is not the store's: it stays.
    Path mine = file("a/" + Vhashify.TEMP_PREFIX + "mine", "the guest's own file\n");
    run(options(false), dir.resolve("a"));
    assertThat(mine).exists();
  }

  @Test
  void excludedPathsAreNotTouched() throws Exception {
    Path a = file("a/etc/conf", "identical configuration\n");
    Path b = file("b/etc/conf", "identical configuration\n");
    Vhashify.Options o = new Vhashify.Options(16, false, false, false, Excludes.parse(List.of("/etc"), "t"), 1);
    run(o, dir.resolve("a"), dir.resolve("b"));
    assertThat(FileStat.lstat(a).nlink()).isEqualTo(1);
    assertThat(FileStat.lstat(b).nlink()).isEqualTo(1);
  }

  @Test
  void aStoreThatIsAFileIsRefused() throws Exception {
    Files.writeString(dir.resolve("store"), "not a directory");
    assertThatThrownBy(() -> HashStore.open(dir.resolve("store"), dir, notes::add))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void aStoreOnAnotherFilesystemIsRefusedBeforeItIsMade() throws Exception {
    Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm) || FileStat.lstat(shm).dev() == FileStat.lstat(dir).dev()) {
      return;
    }
    Path store = shm.resolve("gaiola-test-store-" + ProcessHandle.current().pid());
    assertThatThrownBy(() -> HashStore.open(store, dir, notes::add))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("another filesystem");
    assertThat(store).doesNotExist();
  }

  @Test
  void diskUsageCountsOnlyInodesWhoseLinksAreAllInside() throws Exception {
    String text = "x".repeat(10000);
    Path a = file("a/x", text);
    file("b/x", text);
    DiskUsage before = DiskUsage.of(dir.resolve("a"));
    run(options(false), dir.resolve("a"), dir.resolve("b"));
    DiskUsage after = DiskUsage.of(dir.resolve("a"));
    long blocks = FileStat.lstat(a).blocks() * 512;
    assertThat(after.privateBytes()).isEqualTo(before.privateBytes() - blocks);
    assertThat(after.sharedBytes()).isEqualTo(blocks);
    // A hard link inside the tree is still private.
    Path own = file("a/own", text + "own");
    Files.createLink(dir.resolve("a/own2"), own);
    assertThat(DiskUsage.of(dir.resolve("a")).privateBytes()).isGreaterThan(after.privateBytes());
  }

  @Test
  void concurrentRunsOnOneStoreTakeTurnsAndAgree() throws Exception {
    for (int i = 0; i < 50; i++) {
      file("a/f" + i, "content number " + i + " of the shared set\n");
      file("b/f" + i, "content number " + i + " of the shared set\n");
    }
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (String t : List.of("a", "b")) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          run(options(false), dir.resolve(t));
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(errors).isEmpty();
    for (int i = 0; i < 50; i++) {
      assertThat(FileStat.lstat(dir.resolve("a/f" + i)).id()).isEqualTo(FileStat.lstat(dir.resolve("b/f" + i)).id());
    }
  }

  @Test
  void theStoreIsFoundAsUtilVserverLinksIt() throws Exception {
    Path guestCfg = Files.createDirectories(dir.resolve("etc/vservers/g"));
    Path defaults = Files.createDirectories(dir.resolve("etc/vservers/.defaults"));
    Path tree = Files.createDirectories(dir.resolve("vservers/g"));
    assertThat(StoreLocation.find(guestCfg, defaults, dir.resolve("vservers"), tree)).isEqualTo(dir.resolve("vservers/.hash"));
    Files.createDirectories(defaults.resolve("apps/vunify"));
    Files.createSymbolicLink(defaults.resolve("apps/vunify/hash"), Files.createDirectories(dir.resolve("shared-hash")));
    assertThat(StoreLocation.find(guestCfg, defaults, dir.resolve("vservers"), tree)).isEqualTo(defaults.resolve("apps/vunify/hash"));
    // A directory of links, one per filesystem: the one on the tree's filesystem is taken.
    Path perDevice = Files.createDirectories(guestCfg.resolve("apps/vunify/hash"));
    Files.createSymbolicLink(perDevice.resolve("root"), Files.createDirectories(dir.resolve("own-hash")));
    assertThat(StoreLocation.find(guestCfg, defaults, dir.resolve("vservers"), tree)).isEqualTo(perDevice.resolve("root"));
    Files.delete(perDevice.resolve("root"));
    assertThatThrownBy(() -> StoreLocation.find(guestCfg, defaults, dir.resolve("vservers"), tree))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no store on the filesystem");
  }

  @Test
  void refreshHashesLinkedFilesAgainAndChangesNothingWhenAllIsRight() throws Exception {
    Path a = file("a/x", "refresh me, I am long enough\n");
    file("b/x", "refresh me, I am long enough\n");
    run(options(false), dir.resolve("a"), dir.resolve("b"));
    long ino = FileStat.lstat(a).ino();
    Vhashify.Result r = run(new Vhashify.Options(16, false, false, true, Excludes.none(), 1), dir.resolve("a"), dir.resolve("b"));
    assertThat(r.bytesHashed()).isPositive();
    assertThat(r.linked()).isZero();
    assertThat(r.newObjects()).isZero();
    assertThat(FileStat.lstat(a).ino()).isEqualTo(ino);
  }

  @Test
  void ignoreMtimeMergesFilesThatDifferOnlyInTime() throws Exception {
    Path a = file("a/x", "same bytes, other times\n");
    Path b = file("b/x", "same bytes, other times\n");
    Files.setLastModifiedTime(b, FileTime.fromMillis(1_500_000_000_000L));
    run(options(false), dir.resolve("a"), dir.resolve("b"));
    assertThat(FileStat.lstat(a).id()).isNotEqualTo(FileStat.lstat(b).id());
    // Both are store objects already: only --refresh looks at them again.
    run(new Vhashify.Options(16, true, false, false, Excludes.none(), 1), dir.resolve("a"), dir.resolve("b"));
    assertThat(FileStat.lstat(a).id()).isNotEqualTo(FileStat.lstat(b).id());
    run(new Vhashify.Options(16, true, false, true, Excludes.none(), 1), dir.resolve("a"), dir.resolve("b"));
    assertThat(FileStat.lstat(a).id()).isEqualTo(FileStat.lstat(b).id());
  }
}
