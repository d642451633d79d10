package gaiola.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PidfdTest {
  @Test
  void waitsForAChildAndReadsHowItEnded() throws Exception {
    // The child waits for its stdin to close: ending at once, the JDK could reap it before the open.
    // SIGTERM, not SIGHUP: under nohup the child would inherit an ignored SIGHUP and exit 0.
    Process p = new ProcessBuilder("sh", "-c", "read x; kill -TERM $$").start();
    try (Pidfd fd = Pidfd.open(p.pid()).orElseThrow()) {
      p.getOutputStream().close();
      assertThat(fd.awaitExit(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(p.waitFor()).isEqualTo(128 + 15);
  }

  @Test
  void signalsALiveProcess() throws Exception {
    Process p = new ProcessBuilder("sleep", "100").start();
    try (Pidfd fd = Pidfd.open(p.pid()).orElseThrow()) {
      assertThat(fd.exited()).isFalse();
      assertThat(fd.signal(Signals.SIGTERM)).isTrue();
      assertThat(fd.awaitExit(Duration.ofSeconds(10))).isTrue();
    }
    p.waitFor();
  }

  @Test
  void aVanishedProcessHasNoDescriptor() throws Exception {
    Process p = new ProcessBuilder("true").start();
    long pid = p.pid();
    p.waitFor();
    assertThat(Pidfd.open(pid)).isEmpty();
  }
}
