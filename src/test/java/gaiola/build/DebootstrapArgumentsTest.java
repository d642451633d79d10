package gaiola.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code -m debootstrap -- ...}: util-vserver's syntax, and every hostile value refused. */
class DebootstrapArgumentsTest {
  static BuildMethod.Debootstrap parse(String... args) throws InvalidInputException {
    return DebootstrapArguments.parse(List.of(args));
  }

  @Test
  void utilVserversSyntax() throws Exception {
    var d = parse("-d", "bookworm", "-m", "http://deb.debian.org/debian");
    assertThat(d.suite()).isEqualTo("bookworm");
    assertThat(d.mirror()).contains(URI.create("http://deb.debian.org/debian"));
    assertThat(d.variant()).isEmpty();
    assertThat(d.include()).isEmpty();
  }

  @Test
  void longOptionsAndExtraDebootstrapOptions() throws Exception {
    var d =
        parse("--suite=sid", "--variant", "minbase", "--cache", "/var/cache/x", "--",
            "--include=cron,less", "--include=procps", "--exclude=nano", "--arch=arm64", "--no-check-gpg");
    assertThat(d.suite()).isEqualTo("sid");
    assertThat(d.variant()).contains("minbase");
    assertThat(d.cache()).contains(Path.of("/var/cache/x"));
    assertThat(d.include()).containsExactly("cron", "less", "procps");
    assertThat(d.exclude()).containsExactly("nano");
    assertThat(d.arch()).contains("arm64");
    assertThat(d.options()).containsExactly("--no-check-gpg");
  }

  @Test
  void theVariantMayAlsoComeAmongDebootstrapsOptions() throws Exception {
    assertThat(parse("-d", "bookworm", "--", "--variant=buildd").variant()).contains("buildd");
    assertThatThrownBy(() -> parse("-d", "bookworm", "--variant", "minbase", "--", "--variant=buildd"))
        .hasMessageContaining("given twice");
  }

  @Test
  void aSuiteIsRequired() {
    assertThatThrownBy(() -> parse()).isInstanceOf(InvalidInputException.class).hasMessageContaining("needs a suite");
    assertThatThrownBy(() -> parse("--variant", "minbase")).hasMessageContaining("needs a suite");
    assertThatThrownBy(() -> parse("-d")).hasMessageContaining("needs a value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc", "bookworm/../../x", "/abs", "-rf", "", "a b", "bookworm;reboot", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void hostileSuitesAreRefused(String suite) {
    assertThatThrownBy(() -> parse("-d", suite))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not a suite name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "deb.debian.org/debian", "gopher://x/debian", "http:///debian", "file:relative", "http://h/x?q=1",
        "http://h/x#frag", "javascript:alert(1)", "-m", "http://h/ x", "ssh://h/debian"
      })
  void hostileMirrorsAreRefused(String mirror) {
    assertThatThrownBy(() -> parse("-d", "bookworm", "-m", mirror)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void mirrorsOfEveryUsableKind() throws Exception {
    for (String m : List.of("http://deb.debian.org/debian", "https://h:8443/debian/", "ftp://h/debian", "file:///srv/mirror")) {
      assertThat(parse("-d", "bookworm", "-m", m).mirror()).contains(URI.create(m));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--cache-dir=/tmp", "--make-tarball=/tmp/x.tgz", "--unpack-tarball=/tmp/x.tgz", "--foreign",
        "--second-stage", "--download-only", "--print-debs", "--keep-debootstrap-dir"
      })
  void optionsGaiolaManagesAreRefused(String option) {
    assertThatThrownBy(() -> parse("-d", "bookworm", "--", option)).hasMessageContaining("Gaiola manages it");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bookworm", "/target", "-x", "--include", "--INCLUDE=x", "---x", "--include cron"})
  void extraArgumentsMustBeLongOptionsWithAttachedValues(String extra) {
    assertThatThrownBy(() -> parse("-d", "bookworm", "--", extra)).isInstanceOf(InvalidInputException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--include=", "--include=a,,b", "--include=../x", "--include=Cron", "--exclude=a;b", "--include=a b"})
  void packageListsAreChecked(String option) {
    assertThatThrownBy(() -> parse("-d", "bookworm", "--", option)).hasMessageContaining("is not a package name");
  }

  @Test
  void otherHostileInput() {
    assertThatThrownBy(() -> parse("-d", "book\nworm")).hasMessageContaining("control characters");
    assertThatThrownBy(() -> parse("-d", "bookworm", "--", "--no-check-gpg\u0000")).hasMessageContaining("control characters");
    assertThatThrownBy(() -> parse("-d", "bookworm", "--variant", "Min Base")).hasMessageContaining("variant");
    assertThatThrownBy(() -> parse("-d", "bookworm", "--", "--arch=../x")).hasMessageContaining("architecture");
    assertThatThrownBy(() -> parse("-d", "bookworm", "--cache", "relative")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> parse("-d", "bookworm", "--cache", "/var/../etc")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> parse("-d", "bookworm", "--cache", "/")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> parse("-d", "bookworm", "-s", "/tmp/script")).hasMessageContaining("not supported");
    assertThatThrownBy(() -> parse("-d", "bookworm", "--bogus", "x")).hasMessageContaining("not known");
    assertThatThrownBy(() -> parse("-d", "a", "-d", "b")).hasMessageContaining("given twice");
    assertThatThrownBy(() -> parse("-d", "x".repeat(5000))).hasMessageContaining("too long");
  }

  @Test
  void buildMethodParseTakesDebootstrap() throws Exception {
    BuildMethod m = BuildMethod.parse("debootstrap", List.of("-d", "bookworm"));
    assertThat(m).isInstanceOf(BuildMethod.Debootstrap.class);
    assertThat(m.name()).isEqualTo("debootstrap");
    assertThat(((BuildMethod.Debootstrap) m).cache()).isEqualTo(Optional.empty());
  }
}
