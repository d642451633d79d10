package gaiola.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads the machine's own /proc: the JVM running this test must be in it, correctly described. */
class RealProcTest {
  @Test
  void findsThisJvm() throws Exception {
    long pid = ProcessHandle.current().pid();
    ProcessTable table = ProcessTable.read(Path.of("/proc"));
    long ownNamespace =
        ProcessReader.namespaceInode(
            Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());

    ProcessInfo me = table.process(pid).orElseThrow();

    assertThat(me.comm()).isEqualTo("java");
    assertThat(me.argv()).isNotEmpty();
    assertThat(me.argv().getFirst()).endsWith("java");
    assertThat(me.ppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
    assertThat(me.state()).isIn('R', 'S');
    assertThat(me.rssBytes()).isPositive();
    assertThat(me.startTime()).isBetween(table.bootTime(), Instant.now());
    assertThat(me.pidNamespace()).isEqualTo(ownNamespace).isEqualTo(table.hostNamespace());
    assertThat(ProcessTable.pidNamespaceOf(Path.of("/proc"), pid)).isEqualTo(ownNamespace);
    assertThat(ContextMap.of(table, List.of()).annotate(me).name()).isEqualTo(ContextMap.HOST_NAME);
    assertThat(
            VserverStat.rows(ContextMap.of(table, List.of()), Instant.now()).getFirst().processes())
        .isPositive();
  }
}
