package gaiola.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.ContextId;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.config.InitConfig;
import gaiola.config.Interface;
import gaiola.config.IpLiteral;
import gaiola.config.NetworkSettings;
import gaiola.config.Uts;
import gaiola.error.InvalidInputException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Planning links from interface entries, against a host whose devices the test decides. */
class NetworkPlanTest {
  /** The host's devices for a test: br0 is a bridge, eth0 and eth1 are plain links. */
  record FakeHost(Map<String, HostLinks.Kind> devices, Map<InetAddress, String> held) implements HostLinks {
    @Override
    public Optional<Kind> kind(String device) {
      return Optional.ofNullable(devices.get(device));
    }

    @Override
    public Map<InetAddress, String> addresses() {
      return held;
    }
  }

  static final FakeHost HOST =
      new FakeHost(
          Map.of("br0", HostLinks.Kind.BRIDGE, "eth0", HostLinks.Kind.OTHER, "eth1", HostLinks.Kind.OTHER),
          Map.of());
  static final HostLayout PRIVATE = new HostLayout(Path.of("/tmp/gaiola-plan-test"));

  static InetAddress ip(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }

  static Interface onDev(String index, String name, String dev, String ip, int prefix) {
    return new Interface(index, Optional.ofNullable(name), Optional.of(dev), ip(ip), prefix, false, false);
  }

  static Interface nodev(String index, String name, String ip) {
    return new Interface(index, Optional.ofNullable(name), Optional.empty(), ip(ip), 24, true, false);
  }

  static GuestConfig guest(String name, int context, Interface... interfaces) {
    return new GuestConfig(
        new GuestName(name), new ContextId(context), Path.of("/vservers/" + name), new Uts(name, Optional.empty()),
        InitConfig.DEFAULT, List.of(), Arrays.asList(interfaces), List.of());
  }

  static List<GuestLink> plan(GuestConfig c) throws InvalidInputException {
    return NetworkPlan.plan(c, PRIVATE, HOST);
  }

  @Test
  void aGuestWithoutEnabledInterfacesHasNoLinks() throws Exception {
    assertThat(plan(guest("vs01", 1001))).isEmpty();
    Interface off = new Interface("0", Optional.empty(), Optional.of("nosuchdev"), ip("192.0.2.5"), 24, false, true);
    // A disabled entry is not planned at all, so even its missing device does not matter.
    assertThat(plan(guest("vs01", 1001, off))).isEmpty();
  }

  @Test
  void unnamedEntriesOnOneDeviceShareALinkAndDevicesGetEthNInOrder() throws Exception {
    List<GuestLink> links =
        plan(
            guest(
                "vs01", 1001,
                onDev("0", null, "eth0", "192.0.2.5", 24),
                onDev("1", null, "br0", "198.51.100.5", 24),
                onDev("2", null, "eth0", "192.0.2.6", 24),
                onDev("3", null, "eth0", "2001:db8::5", 64)));
    assertThat(links).extracting(GuestLink::guestName).containsExactly("eth0", "eth1");
    GuestLink first = links.getFirst();
    assertThat(first.hostDevice()).contains("eth0");
    assertThat(first.addresses())
        .extracting(GuestLink.Address::entry)
        .containsExactly("0", "2", "3");
    assertThat(first.addresses())
        .extracting(a -> IpLiteral.format(a.ip()) + "/" + a.prefix())
        .containsExactly("192.0.2.5/24", "192.0.2.6/24", "2001:db8::5/64");
    assertThat(links.get(1).hostDevice()).contains("br0");
  }

  @Test
  void entriesWithTheSameNameShareALinkWhateverTheirOrder() throws Exception {
    List<GuestLink> links =
        plan(
            guest(
                "vs01", 1001,
                onDev("0", "web", "br0", "192.0.2.5", 24),
                onDev("1", "db", "br0", "192.0.2.6", 24),
                onDev("2", "web", "br0", "2001:db8::5", 64)));
    assertThat(links).extracting(GuestLink::guestName).containsExactly("web", "db");
    assertThat(links.getFirst().addresses()).extracting(GuestLink.Address::entry).containsExactly("0", "2");
    assertThat(links.get(1).addresses()).extracting(GuestLink.Address::entry).containsExactly("1");
  }

  @Test
  void nodevEntriesWithoutANameFormOneGroup() throws Exception {
    List<GuestLink> links =
        plan(guest("vs01", 1001, nodev("0", null, "192.0.2.5"), nodev("1", null, "2001:db8::5")));
    assertThat(links).hasSize(1);
    assertThat(links.getFirst().guestName()).isEqualTo("eth0");
    assertThat(links.getFirst().addresses()).hasSize(2);
  }

  @Test
  void generatedNamesSkipNamesThatEntriesTake() throws Exception {
    List<GuestLink> links =
        plan(
            guest(
                "vs01", 1001,
                onDev("0", null, "eth0", "192.0.2.5", 24),
                onDev("1", "eth0", "br0", "198.51.100.5", 24),
                onDev("2", "eth2", "eth1", "203.0.113.5", 24),
                nodev("3", null, "192.0.2.99")));
    // The unnamed eth0 group may not take "eth0" (entry 1's name); the nodev group skips eth2 too.
    assertThat(links).extracting(GuestLink::guestName).containsExactly("eth1", "eth0", "eth2", "eth3");
    assertThat(new HashSet<>(links.stream().map(GuestLink::guestName).toList())).hasSize(4);
  }

  @Test
  void anInterfaceNamedLoIsRefused() {
    assertThatThrownBy(() -> plan(guest("vs01", 1001, onDev("0", "lo", "br0", "192.0.2.5", 24))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("vs01")
        .hasMessageContaining("'lo'");
  }

  @Test
  void theDeviceKindChoosesTheMode() throws Exception {
    List<GuestLink> links =
        plan(
            guest(
                "vs01", 1001,
                onDev("0", "a", "br0", "192.0.2.5", 24),
                onDev("1", "b", "eth0", "198.51.100.5", 24),
                nodev("2", "c", "203.0.113.5")));
    assertThat(links).extracting(GuestLink::mode)
        .containsExactly(GuestLink.Mode.BRIDGED, GuestLink.Mode.MACVLAN, GuestLink.Mode.ROUTED);
    assertThat(links).extracting(l -> l.mode().label()).containsExactly("bridge", "macvlan", "routed");
    // A bridged link and a routed one have a host end; a macvlan child has none.
    assertThat(links.get(0).hostEnd()).isPresent();
    assertThat(links.get(1).hostEnd()).isEmpty();
    assertThat(links.get(2).hostEnd()).isPresent();
    assertThat(links.get(2).hostDevice()).isEmpty();
  }

  @Test
  void aRoutedLinkGetsHostPrefixesWhateverTheEntrySays() throws Exception {
    Interface v4 = new Interface("0", Optional.empty(), Optional.empty(), ip("192.0.2.5"), 24, true, false);
    Interface v6 = new Interface("1", Optional.empty(), Optional.empty(), ip("2001:db8::5"), 64, true, false);
    GuestLink l = plan(guest("vs01", 1001, v4, v6)).getFirst();
    assertThat(l.mode()).isEqualTo(GuestLink.Mode.ROUTED);
    assertThat(l.addresses()).extracting(GuestLink.Address::prefix).containsExactly(32, 128);
  }

  @Test
  void aBridgedLinkKeepsTheEntrysPrefix() throws Exception {
    GuestLink l = plan(guest("vs01", 1001, onDev("0", null, "br0", "192.0.2.5", 22))).getFirst();
    assertThat(l.addresses().getFirst().prefix()).isEqualTo(22);
  }

  @Test
  void aMissingDeviceIsNamedWithItsEntry() {
    assertThatThrownBy(
            () ->
                plan(
                    guest(
                        "vs01", 1001,
                        onDev("0", null, "br0", "192.0.2.5", 24),
                        onDev("7", null, "vmbr9", "192.0.2.6", 24))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("vs01/interfaces/7")
        .hasMessageContaining("'vmbr9'")
        .hasMessageContaining("does not exist")
        .satisfies(e -> assertThat(((InvalidInputException) e).hint()).get().asString().contains("vmbr9"));
  }

  @Test
  void oneNamedLinkOnTwoDevicesIsRefused() {
    assertThatThrownBy(
            () ->
                plan(
                    guest(
                        "vs01", 1001,
                        onDev("0", "web", "br0", "192.0.2.5", 24),
                        onDev("1", "web", "eth0", "192.0.2.6", 24))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("interfaces/1")
        .hasMessageContaining("'web'")
        .hasMessageContaining("'eth0'")
        .hasMessageContaining("'br0'");
    assertThatThrownBy(
            () -> plan(guest("vs01", 1001, onDev("0", "web", "br0", "192.0.2.5", 24), nodev("1", "web", "192.0.2.6"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nodev");
  }

  static Interface withGw(Interface i, String gw) {
    return i.withLinkOptions(Optional.of(ip(gw)), i.mtu(), i.mac());
  }

  @Test
  void twoGatewaysOfOneFamilyAreRefusedEvenOnDifferentLinks() {
    assertThatThrownBy(
            () ->
                plan(
                    guest(
                        "vs01", 1001,
                        withGw(onDev("0", null, "br0", "192.0.2.5", 24), "192.0.2.1"),
                        withGw(onDev("1", null, "eth0", "198.51.100.5", 24), "198.51.100.1"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("interfaces/1")
        .hasMessageContaining("second IPv4 gateway")
        .hasMessageContaining("198.51.100.1");
    assertThatThrownBy(
            () ->
                plan(
                    guest(
                        "vs01", 1001,
                        withGw(onDev("0", null, "br0", "2001:db8::5", 64), "2001:db8::1"),
                        withGw(onDev("1", null, "br0", "2001:db8::6", 64), "2001:db8::2"))))
        .hasMessageContaining("second IPv6 gateway");
  }

  @Test
  void oneGatewayPerFamilyIsTaken() throws Exception {
    GuestLink l =
        plan(
                guest(
                    "vs01", 1001,
                    withGw(onDev("0", null, "br0", "192.0.2.5", 24), "192.0.2.1"),
                    withGw(onDev("1", null, "br0", "2001:db8::5", 64), "2001:db8::1")))
            .getFirst();
    assertThat(l.gateways()).containsExactly(ip("192.0.2.1"), ip("2001:db8::1"));
  }

  @Test
  void conflictingMtuOrMacInOneLinkIsRefusedAndEqualOnesAreMerged() throws Exception {
    Interface a = onDev("0", null, "br0", "192.0.2.5", 24);
    Interface b = onDev("1", null, "br0", "192.0.2.6", 24);
    assertThatThrownBy(
            () ->
                plan(
                    guest(
                        "vs01", 1001,
                        a.withLinkOptions(Optional.empty(), OptionalInt.of(1500), Optional.empty()),
                        b.withLinkOptions(Optional.empty(), OptionalInt.of(9000), Optional.empty()))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("interfaces/1")
        .hasMessageContaining("two different mtu");
    assertThatThrownBy(
            () ->
                plan(
                    guest(
                        "vs01", 1001,
                        a.withLinkOptions(Optional.empty(), OptionalInt.empty(), Optional.of("02:00:00:00:00:01")),
                        b.withLinkOptions(Optional.empty(), OptionalInt.empty(), Optional.of("02:00:00:00:00:02")))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("two different mac");
    GuestLink merged =
        plan(
                guest(
                    "vs01", 1001,
                    a.withLinkOptions(Optional.empty(), OptionalInt.of(1400), Optional.of("02:00:00:00:00:01")),
                    b.withLinkOptions(Optional.empty(), OptionalInt.of(1400), Optional.of("02:00:00:00:00:01"))))
            .getFirst();
    assertThat(merged.mtu()).hasValue(1400);
    assertThat(merged.mac()).contains("02:00:00:00:00:01");
    // One entry's value is the link's when the others say nothing.
    GuestLink one =
        plan(guest("vs01", 1001, a, b.withLinkOptions(Optional.empty(), OptionalInt.of(1280), Optional.empty())))
            .getFirst();
    assertThat(one.mtu()).hasValue(1280);
  }

  @Test
  void interfacesOnTheHostStackAreRefused() {
    GuestConfig c =
        guest("vs01", 1001, nodev("0", null, "192.0.2.5"))
            .withNetwork(NetworkSettings.PRIVATE.withHostStack(true));
    assertThatThrownBy(() -> plan(c))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nonetns");
  }

  @Test
  void moreThanAHundredLinksAreRefused() throws Exception {
    Interface[] many = new Interface[101];
    for (int k = 0; k < many.length; k++) {
      many[k] = nodev(Integer.toString(k), "n" + k, "10.0." + (k / 250) + "." + (k % 250 + 1));
    }
    assertThatThrownBy(() -> plan(guest("vs01", 1001, many)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("101");
    assertThat(plan(guest("vs01", 1001, Arrays.copyOf(many, 100)))).hasSize(100);
  }

  @Test
  void hostEndsFitLinuxsLimitAndDifferByRootContextAndPosition() throws Exception {
    Interface[] three = {
      onDev("0", "a", "br0", "192.0.2.5", 24), nodev("1", "b", "192.0.2.6"), nodev("2", "c", "192.0.2.7")
    };
    List<GuestLink> sys = NetworkPlan.plan(guest("vs01", 49151, three), HostLayout.SYSTEM, HOST);
    List<GuestLink> priv = NetworkPlan.plan(guest("vs01", 49151, three), PRIVATE, HOST);
    List<GuestLink> other = NetworkPlan.plan(guest("vs02", 49150, three), PRIVATE, HOST);
    Set<String> all = new HashSet<>();
    for (List<GuestLink> ls : List.of(sys, priv, other)) {
      for (GuestLink l : ls) {
        String end = l.hostEnd().orElseThrow();
        assertThat(end.length()).as(end).isLessThanOrEqualTo(15);
        assertThat(all.add(end)).as("distinct: " + end).isTrue();
      }
    }
    assertThat(sys).extracting(l -> l.hostEnd().orElseThrow()).containsExactly("gai49151-0", "gai49151-1", "gai49151-2");
    assertThat(priv).allSatisfy(l -> assertThat(l.hostEnd().orElseThrow()).doesNotStartWith("gai"));
  }

  @Test
  void hostLinkNamesOfTheLongestCaseFitAndPrivateRootsDiffer() {
    ContextId max = new ContextId(ContextId.MAX);
    assertThat(HostLinkNames.of(HostLayout.SYSTEM, max, 99)).isEqualTo("gai49151-99").hasSizeLessThanOrEqualTo(15);
    assertThat(HostLinkNames.of(PRIVATE, max, 99)).hasSizeLessThanOrEqualTo(15).matches("g[0-9a-f]{3}49151-99");
    assertThat(HostLinkNames.prefix(HostLayout.SYSTEM)).isEqualTo(HostLinkNames.SYSTEM_PREFIX);
    // Different private roots get different tags (these two hash apart), and never "gai".
    String a = HostLinkNames.prefix(new HostLayout(Path.of("/tmp/root-a")));
    String b = HostLinkNames.prefix(new HostLayout(Path.of("/tmp/root-b")));
    assertThat(a).isNotEqualTo(b).isNotEqualTo("gai").hasSize(4);
    assertThat(b).isNotEqualTo("gai");
    assertThatThrownBy(() -> HostLinkNames.of(PRIVATE, max, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HostLinkNames.of(PRIVATE, max, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
