package gaiola.network;

import static gaiola.network.NetworkPlanTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindingTrapTest {
  static final Listener SSHD4 = new Listener("tcp", ip("0.0.0.0"), 22, 100);
  static final Listener SSHD6 = new Listener("tcp", ip("::"), 22, 101);
  static final Listener CUPS = new Listener("tcp", ip("127.0.0.1"), 631, 102);
  static final Listener NAMED = new Listener("udp", ip("0.0.0.0"), 53, 103);
  static final Map<Long, BindingTrap.Owner> OWNERS =
      Map.of(
          100L, new BindingTrap.Owner(500, "sshd"),
          101L, new BindingTrap.Owner(500, "sshd"),
          102L, new BindingTrap.Owner(600, "cupsd"),
          103L, new BindingTrap.Owner(700, "named"));

  static BindingTrap.GuestListener guest(String name, String proto, String addr, int port, long inode) {
    return new BindingTrap.GuestListener(name, new Listener(proto, ip(addr), port, inode));
  }

  @Test
  void aWildcardHostListenerOnAGuestsPortIsFoundWithItsOwner() {
    BindingTrap.GuestListener web = guest("vs01", "tcp", "192.0.2.5", 22, 900);
    List<BindingTrap.Finding> f = BindingTrap.find(List.of(SSHD4, SSHD6, CUPS, NAMED), List.of(web), OWNERS);
    assertThat(f).hasSize(2);
    assertThat(f.getFirst().host()).isEqualTo(SSHD4);
    assertThat(f.getFirst().pid()).isEqualTo(500);
    assertThat(f.getFirst().program()).isEqualTo("sshd");
    assertThat(f.getFirst().guest()).isEqualTo(web);
    assertThat(f.getFirst().fix()).contains("sshd").contains("0.0.0.0").contains("ListenAddress");
    assertThat(f.get(1).fix()).contains("::").contains("ListenAddress");
  }

  @Test
  void onlyWildcardListenersOfTheSameProtocolAndPortCount() {
    List<BindingTrap.GuestListener> guests =
        List.of(
            guest("vs01", "tcp", "192.0.2.5", 631, 901), // cupsd is on 127.0.0.1 only: no trap
            guest("vs01", "udp", "192.0.2.5", 22, 902), // udp 22 is not sshd's tcp 22
            guest("vs01", "tcp", "192.0.2.5", 53, 903), // tcp 53 is not named's udp 53
            guest("vs01", "tcp", "192.0.2.5", 2222, 904));
    assertThat(BindingTrap.find(List.of(SSHD4, SSHD6, CUPS, NAMED), guests, OWNERS)).isEmpty();
  }

  @Test
  void otherProgramsGetAGeneralFixAndAnUnknownOwnerIsMarked() {
    BindingTrap.GuestListener dns = guest("vs02", "udp", "2001:db8::5", 53, 905);
    BindingTrap.Finding named = BindingTrap.find(List.of(NAMED), List.of(dns), OWNERS).getFirst();
    assertThat(named.program()).isEqualTo("named");
    assertThat(named.fix()).startsWith("bind named to the host's own addresses instead of 0.0.0.0").doesNotContain("ListenAddress");
    BindingTrap.Finding unknown = BindingTrap.find(List.of(NAMED), List.of(dns), Map.of()).getFirst();
    assertThat(unknown.program()).isEqualTo("?");
    assertThat(unknown.pid()).isZero();
  }

  @Test
  void aSocketIsNotInATrapWithItself() {
    // A guest on the host's stack whose socket is also in the host's table.
    BindingTrap.GuestListener same = new BindingTrap.GuestListener("vs03", SSHD4);
    assertThat(BindingTrap.find(List.of(SSHD4), List.of(same), OWNERS)).isEmpty();
  }

  @Test
  void oneFindingPerHostListenerEvenWithSeveralGuests() {
    List<BindingTrap.Finding> f =
        BindingTrap.find(
            List.of(SSHD4),
            List.of(guest("vs01", "tcp", "192.0.2.5", 22, 906), guest("vs02", "tcp", "192.0.2.6", 22, 907)),
            OWNERS);
    assertThat(f).hasSize(1);
    assertThat(f.getFirst().guest().guest()).isEqualTo("vs01");
  }
}
