package gaiola.network;

import static gaiola.network.NetworkPlanTest.guest;
import static gaiola.network.NetworkPlanTest.ip;
import static gaiola.network.NetworkPlanTest.nodev;
import static gaiola.network.NetworkPlanTest.onDev;
import static org.assertj.core.api.Assertions.assertThat;

import gaiola.config.Interface;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The iproute2 batch run inside a guest's namespace at start. */
class GuestBatchTest {
  static List<String> batch(Interface... interfaces) throws Exception {
    List<GuestLink> links = NetworkPlan.plan(guest("vs01", 1001, interfaces), NetworkPlanTest.PRIVATE, NetworkPlanTest.HOST);
    String b = GuestNetwork.guestBatch(links);
    assertThat(b).endsWith("\n");
    return b.lines().toList();
  }

  @Test
  void aBridgedLinkGetsMacAddressesUpAndAnOnlinkGateway() throws Exception {
    Interface a =
        onDev("0", null, "br0", "192.0.2.5", 24)
            .withLinkOptions(Optional.of(ip("192.0.2.1")), OptionalInt.empty(), Optional.of("02:AA:00:00:00:01"));
    Interface b = onDev("1", null, "br0", "2001:db8::5", 64);
    assertThat(batch(a, b))
        .containsExactly(
            "link set dev eth0 address 02:aa:00:00:00:01",
            "addr add 192.0.2.5/24 dev eth0",
            "addr add 2001:db8::5/64 dev eth0 nodad",
            "link set dev eth0 up",
            "route add 0.0.0.0/0 via 192.0.2.1 dev eth0 onlink");
  }

  @Test
  void ipv6AddressesSkipDadAndIpv4OnesDoNot() throws Exception {
    List<String> lines = batch(onDev("0", null, "eth0", "192.0.2.5", 24), onDev("1", null, "eth0", "2001:db8::9", 64));
    assertThat(lines).filteredOn(l -> l.contains("2001:db8::9")).allMatch(l -> l.endsWith(" nodad"));
    assertThat(lines).filteredOn(l -> l.contains("192.0.2.5")).noneMatch(l -> l.contains("nodad"));
  }

  @Test
  void aRoutedLinkWithoutGatewaysRoutesEachFamilyThroughTheLink() throws Exception {
    assertThat(batch(nodev("0", null, "192.0.2.5"), nodev("1", null, "2001:db8::5")))
        .containsExactly(
            "addr add 192.0.2.5/32 dev eth0",
            "addr add 2001:db8::5/128 dev eth0 nodad",
            "link set dev eth0 up",
            "route add 0.0.0.0/0 dev eth0",
            "route add ::/0 via " + GuestNetwork.ROUTED_IPV6_HOP + " dev eth0");
  }

  @Test
  void aRoutedLinkWithAGatewayUsesItForThatFamilyOnly() throws Exception {
    Interface v4 = nodev("0", null, "192.0.2.5").withLinkOptions(Optional.of(ip("203.0.113.1")), OptionalInt.empty(), Optional.empty());
    List<String> lines = batch(v4, nodev("1", null, "2001:db8::5"));
    assertThat(lines)
        .contains("route add 0.0.0.0/0 via 203.0.113.1 dev eth0 onlink")
        .contains("route add ::/0 via fe80::1 dev eth0")
        .doesNotContain("route add 0.0.0.0/0 dev eth0");
  }

  @Test
  void anIpv4OnlyRoutedLinkGetsNoIpv6Route() throws Exception {
    assertThat(batch(nodev("0", null, "192.0.2.5"))).noneMatch(l -> l.contains("::/0"));
  }

  @Test
  void routesComeAfterEveryLinkIsUp() throws Exception {
    Interface gw6 = onDev("1", "b", "br0", "2001:db8::5", 64)
        .withLinkOptions(Optional.of(ip("2001:db8::1")), OptionalInt.empty(), Optional.empty());
    List<String> lines = batch(nodev("0", "a", "192.0.2.5"), gw6);
    int lastUp = Math.max(lines.indexOf("link set dev a up"), lines.indexOf("link set dev b up"));
    int firstRoute = lines.stream().filter(l -> l.startsWith("route ")).findFirst().map(lines::indexOf).orElseThrow();
    assertThat(lastUp).isGreaterThan(0).isLessThan(firstRoute);
    assertThat(lines).contains("route add ::/0 via 2001:db8::1 dev b onlink", "route add 0.0.0.0/0 dev a");
  }

  /** A second default route of a family makes 'ip route add' fail with "File exists". */
  @Test
  void aGatewayOnAnotherLinkReplacesTheRoutedDefault() throws Exception {
    Interface gw = onDev("1", "b", "br0", "198.51.100.5", 24)
        .withLinkOptions(Optional.of(ip("198.51.100.1")), OptionalInt.empty(), Optional.empty());
    List<String> lines = batch(nodev("0", "a", "192.0.2.5"), gw);
    assertThat(lines.stream().filter(l -> l.startsWith("route add 0.0.0.0/0")))
        .containsExactly("route add 0.0.0.0/0 via 198.51.100.1 dev b onlink");
  }

  @Test
  void twoRoutedLinksGetOneDefaultRoutePerFamily() throws Exception {
    List<String> lines =
        batch(nodev("0", "r1", "192.0.2.5"), nodev("1", "r2", "192.0.2.6"), nodev("2", "r2", "2001:db8::6"));
    assertThat(lines.stream().filter(l -> l.startsWith("route add 0.0.0.0/0"))).containsExactly("route add 0.0.0.0/0 dev r1");
    assertThat(lines.stream().filter(l -> l.startsWith("route add ::/0"))).containsExactly("route add ::/0 via fe80::1 dev r2");
  }

  /** ip takes a bare "a" after "link set" as "address", "up" as the flag: the name needs "dev". */
  @Test
  void linkNamesThatLookLikeKeywordsAreGivenAsDev() throws Exception {
    Interface a = onDev("0", "a", "br0", "192.0.2.5", 24)
        .withLinkOptions(Optional.empty(), OptionalInt.empty(), Optional.of("02:00:00:00:00:09"));
    List<String> lines = batch(a, onDev("1", "up", "br0", "192.0.2.6", 24));
    assertThat(lines).filteredOn(l -> l.startsWith("link set")).allMatch(l -> l.startsWith("link set dev "));
    assertThat(lines).contains("link set dev a address 02:00:00:00:00:09", "link set dev a up", "link set dev up up");
  }

  @Test
  void noLinksNoCommands() {
    assertThat(GuestNetwork.guestBatch(List.of())).isEmpty();
  }
}
