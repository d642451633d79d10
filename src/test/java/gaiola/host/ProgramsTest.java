package gaiola.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgramsTest {
  @Test
  void aMissingProgramNamesTheDebianPackageThatBringsIt() {
    assertThat(Programs.missing("runc").oneLine())
        .isEqualTo("program 'runc' is not installed; perhaps run 'apt-get install runc'");
    assertThat(Programs.missing("catatonit").oneLine()).contains("apt-get install catatonit");
    assertThat(Programs.missing("busybox").oneLine()).contains("apt-get install busybox-static");
    assertThat(Programs.missing("frobnicate").oneLine()).contains("install it");
  }

  @Test
  void runningAMissingProgramSaysSo() {
    var e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> new SystemProcessRunner().run(Command.of("gaiola-no-such-program-x")));
    assertThat(e).hasMessageContaining("'gaiola-no-such-program-x' is not installed");
  }

  @Test
  void aFailingProgramIsNamedWithWhatItSaid() {
    var e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> new SystemProcessRunner().run(Command.of("sh", "-c", "echo broken >&2; exit 4")));
    assertThat(e).hasMessage("'sh -c 'echo broken >&2; exit 4'' failed (exit 4): broken");
  }
}
