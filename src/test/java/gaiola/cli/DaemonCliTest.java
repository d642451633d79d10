package gaiola.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The daemon's commands on the command line, without a daemon: logs, marks, refusals. */
class DaemonCliTest extends CommandLineTest {
  @Test
  void logPrintsTheGuestsLogOrSaysThereIsNone() throws Exception {
    assertThat(run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001")).isZero();
    assertThat(run("vserver", "vs01", "log")).isZero();
    assertThat(err.toString()).contains("has no log yet");
    Files.createDirectories(root.resolve("var/log/gaiola"));
    Files.writeString(root.resolve("var/log/gaiola/vs01.log"), "init: booting\npre-start: ok\n");
    assertThat(run("vserver", "vs01", "log")).isZero();
    assertThat(out.toString()).isEqualTo("init: booting\npre-start: ok\n");
  }

  @Test
  void aCharacterCutByTheEndOfAReadWaitsForItsRest() {
    byte[] e = "\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] euro = "\u20ac".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(LogVerb.wholeCharacters(new byte[] {'a', e[0]})).isEqualTo(1);
    assertThat(LogVerb.wholeCharacters(new byte[] {'a', e[0], e[1]})).isEqualTo(3);
    assertThat(LogVerb.wholeCharacters(new byte[] {euro[0], euro[1]})).isZero();
    assertThat(LogVerb.wholeCharacters(new byte[] {euro[0], euro[1], euro[2], 'b'})).isEqualTo(4);
    assertThat(LogVerb.wholeCharacters(new byte[0])).isZero();
  }

  @Test
  void aBadMarkIsRefusedByName() {
    assertThat(run("start-marked", "../etc")).isEqualTo(2);
    assertThat(err.toString()).contains("mark '../etc' is not a valid mark");
  }

  @Test
  void marksWithNoGuestStartNothing() {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    assertThat(run("start-marked", "nightly")).isZero();
    assertThat(out.toString()).contains("started (mark 'nightly'): none");
  }

  @Test
  void aBadOrderFileIsNamedAndTheOthersStillCount() throws Exception {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    Path init = root.resolve("etc/vservers/vs01/apps/init");
    Files.createDirectories(init);
    Files.writeString(init.resolve("mark"), "weekly\n");
    Files.writeString(init.resolve("order"), "soon\n");
    assertThat(run("stop-marked", "weekly")).isEqualTo(1);
    assertThat(err.toString()).contains("vs01/apps/init/order: 'soon' is not an integer");
  }

  @Test
  void eventsWithoutADaemonSaySo() {
    assertThat(run("events")).isEqualTo(1);
    assertThat(err.toString()).contains("gaiolad is not running");
  }

  @Test
  void vwaitRefusesABadTimeoutAndTerminateWithoutOne() throws Exception {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    assertThat(run("vwait", "--timeout", "0", "vs01")).isEqualTo(2);
    assertThat(err.toString()).contains("--timeout 0 is not a number of seconds from 1 to 86400");
    assertThat(run("vwait", "--terminate", "vs01")).isEqualTo(2);
    assertThat(err.toString()).contains("--terminate needs --timeout");
    // A stopped guest answers at once, time-out or not.
    assertThat(run("vwait", "--timeout", "5", "vs01")).isZero();
    assertThat(out.toString()).endsWith("vs01: not running\n");
    assertThat(run("vwait", "--status-fd", "999", "vs01")).isEqualTo(2);
    assertThat(err.toString()).contains("--status-fd 999 is not an open descriptor; open it in the shell");
    assertThat(run("vwait", "--status-fd", "-1", "vs01")).isEqualTo(2);
  }

  @Test
  void vwaitWritesUtilVserversStatusLineToTheDescriptorItIsGiven() throws Exception {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    Path status = root.resolve("status");
    try (var held = new java.io.FileOutputStream(status.toFile())) {
      // The descriptor number of our own open file, as a shell's 3>status would hand it over.
      int fd = -1;
      try (var fds = Files.list(Path.of("/proc/self/fd"))) {
        for (Path p : fds.toList()) {
          try {
            if (Files.readSymbolicLink(p).equals(status)) {
              fd = Integer.parseInt(p.getFileName().toString());
            }
          } catch (java.io.IOException gone) {
            // The listing's own descriptor, closed by now.
          }
        }
      }
      assertThat(fd).isGreaterThan(2);
      assertThat(run("vwait", "--status-fd", Integer.toString(fd), "vs01")).isZero();
    }
    assertThat(Files.readString(status)).isEqualTo("FINISHED 0\n");
  }

  @Test
  void aStaleSocketNobodyListensOnMeansNoDaemon() throws Exception {
    run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001");
    Path sock = root.resolve("run/gaiola/gaiola.sock");
    Files.createDirectories(sock.getParent());
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
    }
    // The socket file is left behind, as by a crashed daemon; vwait falls back to in-process.
    assertThat(Files.exists(sock)).isTrue();
    assertThat(run("vwait", "vs01")).isZero();
    assertThat(out.toString()).isEqualTo("vs01: not running\n");
  }
}
