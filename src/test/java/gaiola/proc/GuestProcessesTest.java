package gaiola.proc;

import static gaiola.proc.Processes.BOOT;
import static gaiola.proc.Processes.info;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestProcessesTest {
  final ProcessTable table =
      ProcessTable.of(
          List.of(
              info(1, 0, 10, 1, "init", List.of("init")),
              info(400, 1, 10, 400, "runc", List.of("runc")),
              info(500, 400, 20, 1, "init", List.of("init")),
              info(501, 500, 20, 2, "sshd", List.of("sshd")),
              info(502, 501, 20, 3, "sh", List.of("sh")),
              info(600, 400, 10, 600, "flat", List.of("flat")),
              info(601, 600, 10, 601, "child", List.of("child"))),
          10,
          BOOT);
  final Instant now = BOOT.plusSeconds(500 + 3600);

  @Test
  void summarizesTheInitsNamespace() {
    GuestProcesses g = GuestProcesses.summarize(table, 500, now).orElseThrow();

    assertThat(g.initPid()).isEqualTo(500);
    assertThat(g.pidNamespace()).isEqualTo(20);
    assertThat(g.processCount()).isEqualTo(3);
    assertThat(g.processes()).extracting(ProcessInfo::guestPid).containsExactly(1L, 2L, 3L);
    assertThat(g.started()).isEqualTo(BOOT.plusSeconds(500));
    assertThat(g.uptime()).isEqualTo(Duration.ofHours(1));
    assertThat(g.rssBytes()).isEqualTo(3 * 1024 * 1024);
    assertThat(g.vszBytes()).isEqualTo(3 * 4 * 1024 * 1024);
    assertThat(g.userTime()).isEqualTo(Duration.ofSeconds(3));
    assertThat(g.systemTime()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aStoppedGuestHasNoSummary() {
    assertThat(GuestProcesses.summarize(table, 999, now)).isEmpty();
  }

  @Test
  void anInitInTheHostNamespaceCountsItsDescendantsOnly() {
    GuestProcesses g = GuestProcesses.summarize(table, 600, now).orElseThrow();

    assertThat(g.processes()).extracting(ProcessInfo::pid).containsExactly(600L, 601L);
  }
}
