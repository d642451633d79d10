package gaiola.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.HostException;
import gaiola.error.NotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTableTest {
  static final long GUEST_NS = 4026532001L;

  @TempDir Path tmp;
  FakeProc proc;
  Path passwd;

  @BeforeEach
  void setUp() throws IOException {
    proc = new FakeProc(Files.createDirectory(tmp.resolve("proc")));
    passwd =
        Files.writeString(
            tmp.resolve("passwd"),
            "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
  }

  ProcessTable read() throws HostException {
    return ProcessTable.read(proc.root, passwd);
  }

  @Test
  void readsEveryFieldOfAProcess() throws Exception {
    proc.process(1).ppid(0).comm("init").argv("/sbin/init", "splash").write();
    proc.process(1234)
        .comm("bash")
        .uid(1000)
        .cpu(150, 25)
        .start(250)
        .memory(8 * 1024 * 1024, 3000L)
        .tty(34816)
        .argv("-bash")
        .write();

    ProcessInfo p = read().process(1234).orElseThrow();

    assertThat(p.pid()).isEqualTo(1234);
    assertThat(p.ppid()).isEqualTo(1);
    assertThat(p.uid()).isEqualTo(1000);
    assertThat(p.user()).contains("alice");
    assertThat(p.state()).isEqualTo('S');
    assertThat(p.vszBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(p.rssBytes()).isEqualTo(3000 * 1024);
    assertThat(p.userTime()).isEqualTo(Duration.ofMillis(1500));
    assertThat(p.systemTime()).isEqualTo(Duration.ofMillis(250));
    assertThat(p.childUserTime()).isEqualTo(Duration.ofMillis(30));
    assertThat(p.startTime()).isEqualTo(Instant.ofEpochSecond(FakeProc.BTIME).plusMillis(2500));
    assertThat(p.ttyNr()).isEqualTo(34816);
    assertThat(p.comm()).isEqualTo("bash");
    assertThat(p.argv()).containsExactly("-bash");
    assertThat(p.pidNamespace()).isEqualTo(FakeProc.HOST_NS);
    assertThat(p.guestPid()).isEqualTo(1234);
    assertThat(read().process(1).orElseThrow().commandLine()).isEqualTo("/sbin/init splash");
  }

  @Test
  void commWithSpacesAndParenthesesIsSplitAtTheLastParenthesis() throws Exception {
    proc.process(77).comm("a) (b c) d").state('R').cpu(7, 0).write();

    ProcessInfo p = read().process(77).orElseThrow();

    assertThat(p.comm()).isEqualTo("a) (b c) d");
    assertThat(p.state()).isEqualTo('R');
    assertThat(p.ppid()).isEqualTo(1);
    assertThat(p.userTime()).isEqualTo(Duration.ofMillis(70));
  }

  @Test
  void kernelThreadsAndZombiesShowTheirCommInBrackets() throws Exception {
    proc.process(2).ppid(0).comm("kthreadd").memory(0, null).argv().write();
    proc.process(90).ppid(2).comm("kworker/0:1-events").state('I').memory(0, null).argv().write();
    proc.process(91).comm("defunct").state('Z').argv().write();

    ProcessTable table = read();

    assertThat(table.process(2).orElseThrow().commandLine()).isEqualTo("[kthreadd]");
    assertThat(table.process(2).orElseThrow().rssBytes()).isZero();
    assertThat(table.process(90).orElseThrow().commandLine()).isEqualTo("[kworker/0:1-events]");
    assertThat(table.process(91).orElseThrow().commandLine()).isEqualTo("[defunct] <defunct>");
  }

  @Test
  void argvKeepsEmptyArgumentsAndToleratesAMissingFinalNul() throws Exception {
    Path dir = proc.process(5).argv("x").write();
    Files.write(dir.resolve("cmdline"), "nginx: master process\0\0-g\u0001".getBytes());

    ProcessInfo p = read().process(5).orElseThrow();

    assertThat(p.argv()).containsExactly("nginx: master process", "", "-g\u0001");
    assertThat(p.commandLine()).isEqualTo("nginx: master process  -g?");
  }

  @Test
  void processesThatVanishWhileReadAreLeftOut() throws Exception {
    proc.process(1).write();
    Files.delete(proc.process(300).write().resolve("stat"));
    Files.delete(proc.process(301).write().resolve("status"));
    Files.delete(proc.process(302).write().resolve("ns/pid"));
    Files.createDirectories(proc.root.resolve("303"));
    Files.createDirectories(proc.root.resolve("sys"));

    assertThat(read().all()).extracting(ProcessInfo::pid).containsExactly(1L);
  }

  @Test
  void errnoEsrchCountsAsVanished() {
    assertThat(
            ProcessReader.vanished(
                new FileSystemException("/proc/9/stat", null, "No such process")))
        .isTrue();
    assertThat(ProcessReader.vanished(new IOException("No such process"))).isTrue();
    assertThat(ProcessReader.vanished(new IOException("Input/output error"))).isFalse();
  }

  @Test
  void aMalformedStatFileIsAHostFailure() throws Exception {
    Files.writeString(proc.process(8).write().resolve("stat"), "8 no-parentheses S 1\n");

    assertThatThrownBy(this::read).isInstanceOf(HostException.class).hasMessageContaining("/8");
  }

  @Test
  void groupsProcessesByPidNamespace() throws Exception {
    proc.process(1).ppid(0).write();
    proc.process(2).ppid(0).write();
    proc.process(500).ns(GUEST_NS, 1).write();
    proc.process(501).ppid(500).ns(GUEST_NS, 7).write();
    proc.process(600).ns(4026532002L, 1).write();

    ProcessTable table = read();

    assertThat(table.inNamespace(GUEST_NS))
        .extracting(ProcessInfo::guestPid)
        .containsExactly(1L, 7L);
    assertThat(table.byPidNamespace().keySet())
        .containsExactly(FakeProc.HOST_NS, GUEST_NS, 4026532002L);
    assertThat(table.byPidNamespace().get(FakeProc.HOST_NS))
        .extracting(ProcessInfo::pid)
        .containsExactly(1L, 2L);
    assertThat(table.bootTime()).isEqualTo(Instant.ofEpochSecond(FakeProc.BTIME));
  }

  @Test
  void theHostNamespaceIsThatOfSelfElseThatOfPidOne() throws Exception {
    proc.process(1).ns(4026530001L).write();
    proc.process(42).write();
    assertThat(read().hostNamespace()).isEqualTo(4026530001L);

    proc.self(42);
    assertThat(read().hostNamespace()).isEqualTo(FakeProc.HOST_NS);
  }

  @Test
  void usersUnknownToPasswdShowTheirUid() throws Exception {
    proc.process(10).uid(4242).write();

    ProcessInfo p = read().process(10).orElseThrow();

    assertThat(p.user()).isEmpty();
    assertThat(p.userLabel()).isEqualTo("4242");
  }

  @Test
  void pidNamespaceOfReadsTheLinkOrSaysTheProcessIsGone() throws Exception {
    proc.process(500).ns(GUEST_NS, 1).write();
    Files.createSymbolicLink(
        Files.createDirectories(proc.root.resolve("9/ns")).resolve("pid"), Path.of("net:[1]"));

    assertThat(ProcessTable.pidNamespaceOf(proc.root, 500)).isEqualTo(GUEST_NS);
    assertThatThrownBy(() -> ProcessTable.pidNamespaceOf(proc.root, 501))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("process 501 does not exist");
    assertThatThrownBy(() -> ProcessTable.pidNamespaceOf(proc.root, 9))
        .isInstanceOf(HostException.class);
  }

  @Test
  void aProcWithoutBootTimeIsAHostFailure() throws Exception {
    Files.writeString(proc.root.resolve("stat"), "cpu 1 2 3\n");

    assertThatThrownBy(this::read)
        .isInstanceOf(HostException.class)
        .hasMessageContaining("no btime line");
  }

  @Test
  void ofSortsByPid() {
    ProcessTable table =
        ProcessTable.of(List.of(Processes.info(9, 1), Processes.info(3, 1)), 1, Instant.EPOCH);

    assertThat(table.all()).extracting(ProcessInfo::pid).containsExactly(3L, 9L);
  }
}
