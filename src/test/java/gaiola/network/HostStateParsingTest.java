package gaiola.network;

import static gaiola.network.NetworkPlanTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What 'ip -o addr show' and 'ip -j addr show' print, read back. */
class HostStateParsingTest {
  static final String IP_O_ADDR =
      """
      1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
      1: lo    inet6 ::1/128 scope host noprefixroute \\       valid_lft forever preferred_lft forever
      2: enp3s0    inet 192.0.2.10/24 brd 192.0.2.255 scope global dynamic enp3s0\\       valid_lft 86000sec preferred_lft 86000sec
      2: enp3s0    inet 192.0.2.11/24 brd 192.0.2.255 scope global secondary enp3s0\\       valid_lft forever preferred_lft forever
      2: enp3s0    inet6 2001:db8::10/64 scope global dynamic mngtmpaddr \\       valid_lft 86000sec preferred_lft 14000sec
      2: enp3s0    inet6 fe80::5054:ff:fe12:3456/64 scope link \\       valid_lft forever preferred_lft forever
      5: veth1@if4    inet 10.9.0.1/30 scope global veth1\\       valid_lft forever preferred_lft forever
      7: br0    inet 198.51.100.1 peer 198.51.100.2/32 scope global br0\\       valid_lft forever preferred_lft forever
      """;

  @Test
  void hostAddressesMapToTheirDevice() {
    Map<java.net.InetAddress, String> a = SystemHostLinks.parseAddresses(IP_O_ADDR);
    assertThat(a)
        .containsEntry(ip("127.0.0.1"), "lo")
        .containsEntry(ip("::1"), "lo")
        .containsEntry(ip("192.0.2.10"), "enp3s0")
        .containsEntry(ip("192.0.2.11"), "enp3s0")
        .containsEntry(ip("2001:db8::10"), "enp3s0")
        .containsEntry(ip("fe80::5054:ff:fe12:3456"), "enp3s0")
        // The peer's index after '@' is not part of the name.
        .containsEntry(ip("10.9.0.1"), "veth1")
        // A point-to-point address without a prefix on the local side.
        .containsEntry(ip("198.51.100.1"), "br0")
        .hasSize(8);
    assertThat(a).doesNotContainKey(ip("198.51.100.2"));
  }

  @Test
  void linesThatAreNotAddressesAreSkipped() {
    assertThat(SystemHostLinks.parseAddresses("")).isEmpty();
    assertThat(
            SystemHostLinks.parseAddresses(
                "garbage\n3: eth9 link/ether 52:54:00:12:34:56\n4: eth9    inet not-an-ip/24 scope global\n"))
        .isEmpty();
  }

  @Test
  void sysfsNamesThatWouldLeaveTheDirectoryAreNoDevice() {
    assertThat(SystemHostLinks.deviceKind("../../etc")).isEmpty();
    assertThat(SystemHostLinks.deviceKind("..")).isEmpty();
    assertThat(SystemHostLinks.deviceKind(".")).isEmpty();
    assertThat(SystemHostLinks.deviceKind("no-such-dev-xyz")).isEmpty();
    // Every Linux host has a loopback, and it is not a bridge.
    assertThat(SystemHostLinks.deviceKind("lo")).contains(HostLinks.Kind.OTHER);
  }

  @Test
  void linkStatesFromIpJson() throws Exception {
    String json =
        """
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue",
          "operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback",
          "address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00",
          "addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo",
          "valid_life_time":4294967295,"preferred_life_time":4294967295},
          {"family":"inet6","local":"::1","prefixlen":128,"scope":"host"}]},
         {"ifindex":2,"link_index":9,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],
          "mtu":1400,"operstate":"UP","address":"02:00:00:00:00:01","link_netnsid":0,
          "addr_info":[{"family":"inet","local":"192.0.2.5","prefixlen":24,"broadcast":"192.0.2.255"},
          {"family":"inet6","local":"fe80::1","prefixlen":64,"scope":"link"}]},
         {"ifindex":3,"ifname":"eth1","mtu":1500,"operstate":"DOWN","address":"02:00:00:00:00:02","addr_info":[]}]
        """;
    assertThat(LinkState.parse(json))
        .containsExactly(
            new LinkState("lo", "UNKNOWN", 65536, "00:00:00:00:00:00", List.of("127.0.0.1/8", "::1/128")),
            new LinkState("eth0", "UP", 1400, "02:00:00:00:00:01", List.of("192.0.2.5/24", "fe80::1/64")),
            new LinkState("eth1", "DOWN", 1500, "02:00:00:00:00:02", List.of()));
  }

  @Test
  void linkStateRefusesWhatIsNotAJsonArray() {
    assertThatThrownBy(() -> LinkState.parse("{\"ifname\":\"eth0\"}")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> LinkState.parse("")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> LinkState.parse("[{")).isInstanceOf(IOException.class);
  }
}
