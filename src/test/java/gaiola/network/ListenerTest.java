package gaiola.network;

import static gaiola.network.NetworkPlanTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's socket tables, as /proc/net/{tcp,tcp6,udp,udp6} print them on x86-64. */
class ListenerTest {
  static final String TCP =
      """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21378 1 0000000000000000 100 0 0 10 0
         1: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 19005 1 0000000000000000 100 0 0 10 0
         2: 0502000A:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000    33        0 40001 1 0000000000000000 100 0 0 10 0
         3: 0F02000A:0016 0202000A:D6B4 01 00000000:00000000 02:0009C8CF 00000000     0        0 55555 4 0000000000000000 20 4 31 10 -1
         4: 0F02000A:1F90 0202000A:D6B5 06 00000000:00000000 03:00000BB8 00000000     0        0 0 3 0000000000000000
      """;
  static final String TCP6 =
      """
        sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21380 1 0000000000000000 100 0 0 10 0
         1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 19006 1 0000000000000000 100 0 0 10 0
         2: B80D0120000000000000000005000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40002 1 0000000000000000 100 0 0 10 0
         3: B80D0120000000000000000005000000:01BB B80D0120000000000000000009000000:C001 01 00000000:00000000 00:00000000 00000000     0        0 40003 1 0000000000000000 100 0 0 10 0
      """;
  static final String UDP =
      """
         sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
         1: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 17000 2 0000000000000000 0
         2: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 17001 2 0000000000000000 0
         3: 0F02000A:A1B2 08080808:0035 01 00000000:00000000 00:00000000 00000000  1000        0 17002 2 0000000000000000 0
      """;

  @Test
  void tcpListenersOnlyWithLittleEndianIpv4Words() {
    List<Listener> l = Listener.parse("tcp", TCP);
    assertThat(l)
        .containsExactly(
            new Listener("tcp", ip("0.0.0.0"), 22, 21378),
            new Listener("tcp", ip("127.0.0.1"), 631, 19005),
            new Listener("tcp", ip("10.0.2.5"), 80, 40001));
    assertThat(l).extracting(Listener::wildcard).containsExactly(true, false, false);
  }

  @Test
  void tcp6AddressesAreFourLittleEndianWords() {
    List<Listener> l = Listener.parse("tcp6", TCP6);
    assertThat(l)
        .containsExactly(
            new Listener("tcp", ip("::"), 22, 21380),
            new Listener("tcp", ip("::1"), 631, 19006),
            new Listener("tcp", ip("2001:db8::5"), 443, 40002));
    assertThat(l.getFirst().wildcard()).isTrue();
    assertThat(l.get(2).wildcard()).isFalse();
  }

  @Test
  void udpSocketsServeWhenUnconnected() {
    assertThat(Listener.parse("udp", UDP))
        .containsExactly(
            new Listener("udp", ip("0.0.0.0"), 68, 17000), new Listener("udp", ip("127.0.0.53"), 53, 17001));
    String udp6 =
        """
           sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
          0: 00000000000000000000000000000000:0222 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 18000 2 0000000000000000 0
        """;
    assertThat(Listener.parse("udp6", udp6)).containsExactly(new Listener("udp", ip("::"), 546, 18000));
  }

  @Test
  void malformedLinesAreSkipped() {
    String bad =
        """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
           1: ZZZZZZZZ:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1
           2: 00000000:XYZW 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1
           3: 00000000:0016 00000000:0000 0A
           4: 00000000 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5 1
           5: 00000000:0017 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 6 1
        """;
    assertThat(Listener.parse("tcp", bad)).containsExactly(new Listener("tcp", ip("0.0.0.0"), 23, 6));
    assertThat(Listener.parse("tcp", "")).isEmpty();
  }

  @Test
  void readTakesEveryTableAndToleratesMissingIpv6Ones(@TempDir Path net) throws Exception {
    Files.writeString(net.resolve("tcp"), TCP);
    Files.writeString(net.resolve("udp"), UDP);
    assertThat(Listener.read(net)).hasSize(5);
    Files.writeString(net.resolve("tcp6"), TCP6);
    assertThat(Listener.read(net)).hasSize(8);
  }
}
