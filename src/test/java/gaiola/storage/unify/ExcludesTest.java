package gaiola.storage.unify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExcludesTest {
  @TempDir Path dir;

  @Test
  void theDefaultListKeepsConfigurationDataAndHomesApartButNotBinaries() {
    Excludes d = Excludes.defaults();
    assertThat(d.excludes("/usr/bin/perl")).isFalse();
    assertThat(d.excludes("/lib/x86_64-linux-gnu/libc.so.6")).isFalse();
    assertThat(d.excludes("/etc/passwd")).isTrue();
    assertThat(d.excludes("/etc/hostname")).isTrue();
    assertThat(d.excludes("/etc")).isFalse();
    assertThat(d.excludes("/etc/termcap")).isFalse();
    assertThat(d.excludes("/etc/gconf/schemas")).isFalse();
    assertThat(d.excludes("/etc/gconf/other")).isTrue();
    assertThat(d.excludes("/var")).isTrue();
    assertThat(d.excludes("/home")).isTrue();
    assertThat(d.excludes("/dev")).isTrue();
    assertThat(d.excludes("/root/.bashrc")).isTrue();
    assertThat(d.excludes("/usr/share/texmf/ls-R")).isTrue();
  }

  @Test
  void theFirstMatchingEntryDecides() throws Exception {
    Excludes e = Excludes.parse(List.of("+/opt/keep", "/opt/*", "# comment", "", "-/srv/"), "test");
    assertThat(e.excludes("/opt/keep")).isFalse();
    assertThat(e.excludes("/opt/other")).isTrue();
    assertThat(e.excludes("/srv")).isTrue();
    assertThat(e.excludes("/usr")).isFalse();
    Excludes reversed = Excludes.parse(List.of("/opt/*", "+/opt/keep"), "test");
    assertThat(reversed.excludes("/opt/keep")).isTrue();
  }

  @Test
  void globsMatchAcrossSlashesLikeFnmatchWithoutFlags() {
    assertThat(Excludes.Glob.matches("/*/ls-R", "/usr/share/texmf/ls-R")).isTrue();
    assertThat(Excludes.Glob.matches("/lib/lib?.so", "/lib/libc.so")).isTrue();
    assertThat(Excludes.Glob.matches("/lib/lib[a-c].so", "/lib/libd.so")).isFalse();
    assertThat(Excludes.Glob.matches("/lib/lib[!a-c].so", "/lib/libd.so")).isTrue();
    assertThat(Excludes.Glob.matches("/x\\*", "/x*")).isTrue();
    assertThat(Excludes.Glob.matches("/x\\*", "/xy")).isFalse();
  }

  @Test
  void aHostilePatternCannotMakeMatchingExponential() {
    String pattern = "/" + "*a".repeat(40) + "b";
    String path = "/" + "a".repeat(5000);
    // Linear back-tracking: this returns at once instead of running for ages.
    assertThat(Excludes.Glob.matches(pattern, path)).isFalse();
  }

  @Test
  void malformedListsAreRefusedWithFileAndLine() throws Exception {
    Path f = Files.writeString(dir.resolve("exclude"), "/ok\nrelative/path\n");
    assertThatThrownBy(() -> Excludes.read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("exclude:2")
        .hasMessageContaining("relative/path");
    Path g = Files.writeString(dir.resolve("bracket"), "/a[b\n");
    assertThatThrownBy(() -> Excludes.read(g)).isInstanceOf(InvalidInputException.class).hasMessageContaining("bracket:1");
    assertThatThrownBy(() -> Excludes.read(dir.resolve("missing")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> Excludes.read(dir)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aGuestsListComesFromTheOptionItsConfigurationTheHostOrTheDefault() throws Exception {
    Path guest = Files.createDirectories(dir.resolve("g/apps/vunify")).getParent().getParent();
    Path host = Files.createDirectories(dir.resolve("d/apps/vunify")).getParent().getParent();
    assertThat(Excludes.forGuest(guest, host, java.util.Optional.empty()).excludes("/var")).isTrue();
    Files.writeString(host.resolve("apps/vunify/exclude"), "/srv\n");
    assertThat(Excludes.forGuest(guest, host, java.util.Optional.empty()).excludes("/var")).isFalse();
    assertThat(Excludes.forGuest(guest, host, java.util.Optional.empty()).excludes("/srv")).isTrue();
    Files.writeString(guest.resolve("apps/vunify/exclude"), "/opt\n");
    assertThat(Excludes.forGuest(guest, host, java.util.Optional.empty()).excludes("/opt")).isTrue();
    Path given = Files.writeString(dir.resolve("given"), "/usr\n");
    Excludes e = Excludes.forGuest(guest, host, java.util.Optional.of(given));
    assertThat(e.excludes("/usr")).isTrue();
    assertThat(e.excludes("/opt")).isFalse();
  }
}
