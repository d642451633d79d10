package gaiola.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FstabTest {
  @TempDir Path tmp;

  /**
   * Removes the links before JUnit does, which warns about each one pointing out of the temp dir.
   */
  @AfterEach
  void removeLinks() throws IOException {
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : all.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void parsesUtilVserversDefaultFstabWithCommentsAndBlankLines() throws Exception {
    String text =
        """
        # the default
        none\t/proc\t\tproc\tdefaults\t\t0 0

          none /tmp tmpfs size=16m,mode=1777 0 0
        none /dev/pts devpts gid=5,mode=620
        """;
    assertThat(Fstab.parse(text, "vs01/fstab")).isEqualTo(Fstab.defaultEntries());
  }

  @Test
  void bindMountsAndOctalEscapes() throws Exception {
    List<FstabEntry> e =
        Fstab.parse(
            "/srv/my\\040data /mnt/da\\134ta none rbind,ro,nosuid\n"
                + "/a /b bind defaults\n"
                + "/c /d ext4 bind",
            "vs01/fstab");
    assertThat(e.get(0))
        .isEqualTo(
            new FstabEntry(
                "/srv/my data", "/mnt/da\\ta", "none", List.of("rbind", "ro", "nosuid")));
    assertThat(e.get(0).isBind()).isTrue();
    assertThat(e.get(0).readOnly()).isTrue();
    assertThat(e.get(1)).isEqualTo(new FstabEntry("/a", "/b", "bind", List.of()));
    assertThat(e.get(2).isBind()).isTrue();
  }

  @Test
  void escapesAreUtf8Bytes() throws Exception {
    assertThat(Fstab.parse("none /mnt/caf\\303\\251 tmpfs defaults", "f").get(0).target())
        .isEqualTo("/mnt/café");
    assertThat(Fstab.parse("none /mnt/x\\9 tmpfs defaults", "f").get(0).target())
        .isEqualTo("/mnt/x\\9");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          nfs:/export /mnt nfs defaults            | vs01/fstab:3: mount type 'nfs' is not supported | use proc, sysfs, tmpfs, devpts, mqueue
          none /mnt none defaults                  | vs01/fstab:3: mount type 'none' is not supported | needs option bind
          none /tmp                                | vs01/fstab:3: 'none /tmp' has 2 fields            | SOURCE TARGET
          none /tmp tmpfs                          | vs01/fstab:3: 'none /tmp tmpfs' has 3 fields      | SOURCE TARGET
          none /tmp tmpfs defaults 0 0 0           | has 7 fields                                      | SOURCE TARGET
          none /tmp tmpfs defaults x               | dump field 'x' is not a number                    | 0 0
          none tmp tmpfs defaults                  | vs01/fstab:3: target 'tmp' is not an absolute path | starting with '/'
          /srv ../../etc none bind                 | target '../../etc' is not an absolute path        | starting with '/'
          /srv /mnt/../../etc none bind            | target '/mnt/../../etc' has a '..' component      | without '..'
          none / tmpfs defaults                    | target '/' would cover the guest's root           | below '/'
          none /./ tmpfs defaults                  | target '/./' would cover the guest's root         | below '/'
          none /tmp tmpfs size=16m,suid,loud       | vs01/fstab:3: option 'loud' is not supported      | nosuid
          none /tmp tmpfs rw,,nosuid               | option '' is not supported                        | nosuid
          none /proc proc size=16m                 | option 'size=16m' does not apply to proc          | tmpfs
          /srv /mnt none bind,mode=700             | option 'mode=700' does not apply to a bind mount  | tmpfs
          none /tmp tmpfs mode=999                 | option 'mode=999' has a malformed value           | mode=1777
          none /tmp tmpfs size=lots                | option 'size=lots' has a malformed value          | size=16m
          srv /mnt none bind                       | bind source 'srv' is not an absolute path         | host directory
          none /mnt/a\\000b tmpfs defaults         | escapes a NUL or newline                          | NUL
          none /mnt/\\377 tmpfs defaults           | escapes bytes that are not UTF-8                  | \\040
          """)
  void rejectsWithFileLineAndText(String line, String message, String hint) {
    String text = "# header\n\n" + line + "\n";
    assertThatThrownBy(() -> Fstab.parse(text, "vs01/fstab"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message)
        .hasMessageStartingWith("vs01/fstab:3: ")
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).hint())
                    .hasValueSatisfying(h -> assertThat(h).contains(hint)));
  }

  @Test
  void formatWritesParseableEscapedLinesAndDropsDefaults() throws Exception {
    List<FstabEntry> entries =
        List.of(
            new FstabEntry("/srv/a b", "/mnt/#x\ty", "none", List.of("bind", "ro")),
            new FstabEntry("none", "/proc", "proc", List.of()));
    String text = Fstab.format(entries);
    assertThat(text)
        .isEqualTo(
            "/srv/a\\040b\t/mnt/\\043x\\011y\tnone\tbind,ro\t0\t0\n"
                + "none\t/proc\tproc\tdefaults\t0\t0\n");
    assertThat(Fstab.parse(text, "f")).isEqualTo(entries);
    assertThat(entries.get(0).line()).isEqualTo(text.lines().findFirst().orElseThrow());
    assertThat(Fstab.format(List.of())).isEmpty();
  }

  // --- resolveInside: a target that escapes through a symbolic link is refused ---

  private Path guestRoot() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("mnt/real"));
    Files.createDirectories(root.resolve("etc"));
    return root;
  }

  @Test
  void plainAndMissingPathsResolveLiterally() throws Exception {
    Path root = guestRoot();
    assertThat(Fstab.resolveInside(root, "/mnt/real")).isEqualTo(root.resolve("mnt/real"));
    assertThat(Fstab.resolveInside(root, "//mnt/./new/deeper/"))
        .isEqualTo(root.resolve("mnt/new/deeper"));
  }

  @Test
  void absoluteLinkIsRelativeToTheGuestRoot() throws Exception {
    Path root = guestRoot();
    Files.createSymbolicLink(root.resolve("mnt/etc-link"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("mnt/host"), tmp.toAbsolutePath());
    assertThat(Fstab.resolveInside(root, "/mnt/etc-link")).isEqualTo(root.resolve("etc"));
    // A link to an absolute host path means that path inside the guest, never the host's.
    assertThat(Fstab.resolveInside(root, "/mnt/host/x"))
        .isEqualTo(root.resolve(tmp.toAbsolutePath().toString().substring(1)).resolve("x"))
        .startsWithRaw(root);
  }

  @Test
  void dotDotInLinksStopsAtTheGuestRoot() throws Exception {
    Path root = guestRoot();
    Files.createSymbolicLink(root.resolve("mnt/up"), Path.of("../../../../.."));
    Files.createSymbolicLink(root.resolve("mnt/rel"), Path.of("real"));
    assertThat(Fstab.resolveInside(root, "/mnt/up/etc/passwd"))
        .isEqualTo(root.resolve("etc/passwd"));
    assertThat(Fstab.resolveInside(root, "/mnt/rel/sub")).isEqualTo(root.resolve("mnt/real/sub"));
  }

  @Test
  void targetThatResolvesToTheRootIsRefused() throws Exception {
    Path root = guestRoot();
    Files.createSymbolicLink(root.resolve("mnt/slash"), Path.of("/"));
    Files.createSymbolicLink(root.resolve("mnt/up"), Path.of("../../.."));
    for (String t : List.of("/mnt/slash", "/mnt/up", "/mnt/slash/mnt/slash")) {
      assertThatThrownBy(() -> Fstab.resolveInside(root, t))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("'" + t + "' resolves to the guest's root");
    }
    assertThat(Fstab.resolveInside(root, "/mnt/slash/tmp")).isEqualTo(root.resolve("tmp"));
  }

  @Test
  void loopsAndDotDotTargetsAreRefused() throws Exception {
    Path root = guestRoot();
    Files.createSymbolicLink(root.resolve("mnt/a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("mnt/b"), Path.of("/mnt/a"));
    Files.createSymbolicLink(root.resolve("mnt/self"), Path.of("self/x"));
    assertThatThrownBy(() -> Fstab.resolveInside(root, "/mnt/a/x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'/mnt/a/x' leads through more than 40 symbolic links");
    assertThatThrownBy(() -> Fstab.resolveInside(root, "/mnt/self"))
        .hasMessageContaining("more than 40 symbolic links");
    assertThatThrownBy(() -> Fstab.resolveInside(root, "/mnt/../../etc"))
        .hasMessageContaining("'/mnt/../../etc' has a '..' component");
    assertThatThrownBy(() -> Fstab.resolveInside(root, "mnt"))
        .hasMessageContaining("not an absolute path");
  }

  @Test
  void fortyLinksInAChainAreStillFine() throws Exception {
    Path root = guestRoot();
    for (int i = 0; i < 40; i++) {
      Files.createSymbolicLink(
          root.resolve("mnt/l" + i), Path.of(i == 39 ? "real" : "l" + (i + 1)));
    }
    assertThat(Fstab.resolveInside(root, "/mnt/l0")).isEqualTo(root.resolve("mnt/real"));
  }
}
