package gaiola.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.HostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's launch of runc without the JDK's helper: output, status, and what the child inherits. */
class SpawnTest {
  @TempDir Path dir;

  private int sh(String script, Path out) throws Exception {
    return Spawn.run(List.of("/bin/sh", "-c", script), out);
  }

  @Test
  void stdoutAndStderrAreAppendedToTheFileAndTheExitStatusComesBack() throws Exception {
    Path log = dir.resolve("guest.log");
    Files.writeString(log, "before\n");
    assertThat(sh("echo out; echo err >&2; exit 3", log)).isEqualTo(3);
    assertThat(sh("echo again", log)).isZero();
    assertThat(Files.readString(log)).isEqualTo("before\nout\nerr\nagain\n");
  }

  @Test
  void aProgramKilledByASignalGivesWhatAShellWould() throws Exception {
    assertThat(sh("kill -TERM $$", dir.resolve("log"))).isEqualTo(128 + 15);
  }

  @Test
  void theChildReadsNothingHasOnlyItsThreeDescriptorsAndTheSignalsAJdkChildHas() throws Exception {
    Path log = dir.resolve("log");
    String signals = "grep -E '^Sig(Blk|Ign)' /proc/self/status";
    // The JVM holds many descriptors (the jar, sockets); none may reach runc and the guest.
    assertThat(sh("cat; ls /proc/self/fd; " + signals, log)).isZero();
    List<String> lines = Files.readAllLines(log);
    // ls's own listing of /proc/self/fd is its descriptor 3.
    assertThat(lines.subList(0, lines.size() - 2)).containsExactly("0", "1", "2", "3");
    // Nothing blocked; ignored only what glibc's posix_spawn leaves ignored in any child (its own
    // two real-time signals), as in a child the JDK starts.
    Process jdk = new ProcessBuilder("/bin/sh", "-c", signals).start();
    List<String> jdkSignals = new String(jdk.getInputStream().readAllBytes()).lines().toList();
    assertThat(jdk.waitFor()).isZero();
    assertThat(lines.subList(lines.size() - 2, lines.size()))
        .containsExactlyElementsOf(jdkSignals)
        .startsWith("SigBlk:\t0000000000000000");
  }

  @Test
  void aMissingProgramIsNamed() {
    assertThatThrownBy(() -> Spawn.run(List.of("/nonexistent/runc", "run"), dir.resolve("log")))
        .isInstanceOf(HostException.class)
        .hasMessage("cannot run '/nonexistent/runc run': No such file or directory");
  }
}
