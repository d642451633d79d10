package gaiola.template;

import static org.assertj.core.api.Assertions.assertThat;

import gaiola.storage.Progress;
import gaiola.storage.TreeCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips of a tree with every kind of entry: through our archive in each compression, through
 * GNU tar in both directions, and through a copy; the manifests must be equal.
 */
class TreeArchiveTest {
  @TempDir Path dir;
  Path tree;

  @BeforeEach
  void makeTree() throws Exception {
    tree = Files.createDirectory(dir.resolve("tree"));
    Files.createDirectories(tree.resolve("etc/deep/er"));
    Files.writeString(tree.resolve("etc/a"), "alpha\n");
    Files.write(tree.resolve("etc/big"), new byte[3_000_000]);
    Files.createLink(tree.resolve("etc/a-link"), tree.resolve("etc/a"));
    Files.createSymbolicLink(tree.resolve("etc/abs"), Path.of("/etc/a"));
    Files.createSymbolicLink(tree.resolve("etc/dangling"), Path.of("../nowhere"));
    String longName = "n".repeat(120);
    Files.writeString(tree.resolve("etc/deep/er").resolve(longName), "long");
    Files.writeString(tree.resolve("setuid"), "#!/bin/sh\n");
    Files.setAttribute(tree.resolve("setuid"), "unix:mode", 04755);
    Files.setAttribute(tree.resolve("etc/deep"), "unix:mode", 01777);
    new ProcessBuilder("mkfifo", tree.resolve("fifo").toString()).start().waitFor();
    UserDefinedFileAttributeView x = Files.getFileAttributeView(tree.resolve("etc/a"), UserDefinedFileAttributeView.class);
    x.write("binary", java.nio.ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 10, 61, 0}));
    Files.getFileAttributeView(tree.resolve("etc/deep"), UserDefinedFileAttributeView.class)
        .write("dir", java.nio.ByteBuffer.wrap("on a directory".getBytes()));
    for (Path p : List.of(tree.resolve("etc/a"), tree.resolve("etc/deep"), tree)) {
      Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 123_456_789)));
    }
    // Opening a fifo to set its time would block: set it by name, never opened.
    gaiola.host.FileCalls.utimensat(gaiola.host.FileCalls.AT_FDCWD, gaiola.host.FileCalls.bytes(tree.resolve("fifo").toString()),
        -1, 1_500_000_000_987_654_321L);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void ourArchiveRoundTripsExactly(Compression c) throws Exception {
    Path archive = dir.resolve("t" + c.extension());
    TreeArchive.pack(tree, archive, c, Progress.NONE);
    assertThat(TarUnpack.compressionOf(archive)).isEqualTo(c);
    Path back = Files.createDirectory(dir.resolve("back"));
    TarUnpack.unpack(archive, back, Progress.NONE);
    assertThat(Manifest.diff(Manifest.of(tree), Manifest.of(back))).isEmpty();
  }

  @Test
  void gnuTarReadsOurArchiveAndWeReadGnuTars() throws Exception {
    Path ours = dir.resolve("ours.tar.gz");
    TreeArchive.pack(tree, ours, Compression.GZIP, Progress.NONE);
    Path byTar = Files.createDirectory(dir.resolve("by-tar"));
    run("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpzf", ours.toString(), "-C", byTar.toString());
    assertThat(Manifest.diff(Manifest.of(tree), Manifest.of(byTar))).isEmpty();

    Path theirs = dir.resolve("theirs.tar.xz");
    run("tar", "--xattrs", "--xattrs-include=*", "--format=pax", "--numeric-owner", "-cJf", theirs.toString(), "-C", tree.toString(), ".");
    Path byUs = Files.createDirectory(dir.resolve("by-us"));
    TarUnpack.unpack(theirs, byUs, Progress.NONE);
    Map<String, String> want = Manifest.of(tree);
    assertThat(Manifest.diff(want, Manifest.of(byUs))).isEmpty();
  }

  @Test
  void aCopyIsExact() throws Exception {
    Path copy = Files.createDirectory(dir.resolve("copy"));
    TreeCopy.copy(tree, copy, Progress.NONE);
    assertThat(Manifest.diff(Manifest.of(tree), Manifest.of(copy))).isEmpty();
  }

  @Test
  void aLinkedCopyIsExactAndSharesEveryInodeButTheDirectories() throws Exception {
    Path linked = Files.createDirectory(dir.resolve("linked"));
    long[] counted = new long[2];
    TreeCopy.link(tree, linked, (bytes, files) -> {
      counted[0] += bytes;
      counted[1] += files;
    });
    assertThat(Manifest.diff(Manifest.of(tree), Manifest.of(linked))).isEmpty();
    try (var s = Files.walk(tree)) {
      for (Path p : s.toList()) {
        Path q = linked.resolve(tree.relativize(p).toString());
        boolean same = gaiola.host.FileStat.lstat(p).id().equals(gaiola.host.FileStat.lstat(q).id());
        assertThat(same).as(p.toString()).isEqualTo(!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
      }
    }
    // Each inode's bytes once (a-link is a second name of etc/a); every entry, the root included.
    assertThat(counted[0]).isEqualTo(6 + 3_000_000 + 4 + 10);
    assertThat(counted[1]).isEqualTo(12);
  }

  @Test
  void verifyReadsAWholeArchiveAndRefusesACutOne() throws Exception {
    Path archive = dir.resolve("t.tar.zst");
    TreeArchive.pack(tree, archive, Compression.ZSTD, Progress.NONE);
    assertThat(TarUnpack.verify(archive)).isGreaterThan(10);
    byte[] all = Files.readAllBytes(archive);
    Path cut = Files.write(dir.resolve("cut.tar.zst"), java.util.Arrays.copyOf(all, all.length / 2));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TarUnpack.verify(cut)).hasMessageContaining("truncated");
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", List.of(argv), out).isZero();
  }
}
