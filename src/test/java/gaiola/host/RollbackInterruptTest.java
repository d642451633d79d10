package gaiola.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operation interrupted by SIGTERM or Ctrl-C (SIGINT) still undoes what it made. */
class RollbackInterruptTest {
  @TempDir Path dir;

  @Test
  void sigtermUndoes() throws Exception {
    interruptWith("TERM");
  }

  @Test
  void sigintUndoes() throws Exception {
    // A background job of a non-interactive shell starts with SIGINT ignored, and its children
    // (this probe) inherit that: the JVM then leaves SIGINT alone, as it should.
    org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (a background job)");
    interruptWith("INT");
  }

  /** Whether SIGINT (bit 1 of SigIgn) is ignored here, and so in the probe started from here. */
  private static boolean sigintIgnored() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b10) != 0;
      }
    }
    return false;
  }

  private void interruptWith(String signal) throws Exception {
    Path marker = dir.resolve("marker-" + signal);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RollbackProbe.class.getName(), marker.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      assertThat(out.readLine()).isEqualTo("ready");
      assertThat(marker).exists();
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(Files.exists(marker)).as("undone on SIG" + signal).isFalse();
  }
}
