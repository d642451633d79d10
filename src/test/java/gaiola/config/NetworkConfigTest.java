package gaiola.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Gateway, MTU and MAC of an interface; nonetns, nameserver and searchdomain of a guest. */
class NetworkConfigTest {
  @TempDir Path tmp;
  HostLayout layout;
  Path dir;
  final List<String> notes = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    layout = new HostLayout(tmp);
    dir = Files.createDirectories(layout.configBase().resolve("vs01"));
    Files.createDirectories(tmp.resolve("vservers/vs01"));
  }

  @AfterEach
  void removeLinks() throws IOException {
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : all.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  static InetAddress ip(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }

  private void put(String rel, String content) throws IOException {
    Path f = dir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private List<Interface> readInterfaces() throws InvalidInputException {
    return InterfaceSpec.read(dir.resolve("interfaces"), "vs01/interfaces", notes::add);
  }

  private GuestConfig base(List<Interface> interfaces, NetworkSettings net) {
    return new GuestConfig(
        new GuestName("vs01"), new ContextId(1001), tmp.resolve("vservers/vs01"), new Uts("vs01", Optional.empty()),
        InitConfig.DEFAULT, Fstab.defaultEntries(), interfaces, List.of(), net);
  }

  // --- Interface record -------------------------------------------------------------------------

  @Test
  void interfaceRecordChecksItsLinkOptions() {
    Interface v4 = new Interface("0", Optional.empty(), Optional.of("br0"), ip("192.0.2.5"), 24, false, false);
    assertThat(v4.gateway()).isEmpty();
    assertThat(v4.mtu()).isEmpty();
    assertThat(v4.mac()).isEmpty();
    assertThat(v4.withLinkOptions(Optional.empty(), OptionalInt.empty(), Optional.of("02:AB:CD:EF:00:01")).mac())
        .contains("02:ab:cd:ef:00:01");
    assertThatThrownBy(() -> v4.withLinkOptions(Optional.of(ip("2001:db8::1")), OptionalInt.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v4.withLinkOptions(Optional.empty(), OptionalInt.of(67), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v4.withLinkOptions(Optional.empty(), OptionalInt.of(65536), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(v4.withLinkOptions(Optional.empty(), OptionalInt.of(68), Optional.empty()).mtu()).hasValue(68);
    assertThatThrownBy(() -> v4.withLinkOptions(Optional.empty(), OptionalInt.empty(), Optional.of("01:00:5e:00:00:01")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(v4.withIndex("7").index()).isEqualTo("7");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "02:00:00:00:00:01, true",
    "02:AB:cd:EF:00:01, true",
    "00:16:3e:00:00:01, true",
    "01:00:5e:00:00:01, false", // multicast
    "ff:ff:ff:ff:ff:ff, false", // broadcast
    "00:00:00:00:00:00, false",
    "02-00-00-00-00-01, false",
    "02:00:00:00:00, false",
    "02:00:00:00:00:01:02, false",
    "0g:00:00:00:00:01, false",
    "'02:00:00:00:00:01\n', false",
    "' 02:00:00:00:00:01', false",
  })
  void unicastMacs(String text, boolean ok) {
    assertThat(Interface.isUnicastMac(text)).isEqualTo(ok);
  }

  // --- interfaces/N/{gateway,gw,mtu,mac} ---------------------------------------------------------

  @Test
  void readsGatewayMtuAndMacOfAnEntry() throws Exception {
    put("interfaces/0/ip", "192.0.2.5\n");
    put("interfaces/0/prefix", "24\n");
    put("interfaces/0/dev", "br0\n");
    put("interfaces/0/gateway", "192.0.2.1\n");
    put("interfaces/0/mtu", "9000\n");
    put("interfaces/0/mac", "02:AA:BB:CC:DD:EE\n");
    put("interfaces/1/ip", "2001:db8::5\n");
    put("interfaces/1/nodev", "");
    // util-vserver's own spelling.
    put("interfaces/1/gw", "fe80::1\n");
    Interface i = readInterfaces().getFirst();
    assertThat(i.gateway()).contains(ip("192.0.2.1"));
    assertThat(i.mtu()).hasValue(9000);
    assertThat(i.mac()).contains("02:aa:bb:cc:dd:ee");
    assertThat(readInterfaces().get(1).gateway()).contains(ip("fe80::1"));
    assertThat(notes).isEmpty();
  }

  @Test
  void gatewayWinsOverGw() throws Exception {
    put("interfaces/0/ip", "192.0.2.5");
    put("interfaces/0/nodev", "");
    put("interfaces/0/gateway", "192.0.2.1");
    put("interfaces/0/gw", "192.0.2.254");
    assertThat(readInterfaces().getFirst().gateway()).contains(ip("192.0.2.1"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "-",
      textBlock =
          """
          gateway | gateway.example.org | 'gateway.example.org' is not an IPv4 or IPv6 address
          gateway | 2001:db8::1         | not of the same family as 192.0.2.5
          gateway | 192.0.2.5           | is the interface's own address
          gateway | 192.0.2.1;reboot    | is not an IPv4 or IPv6 address
          gw      | 300.0.0.1           | is not an IPv4 or IPv6 address
          gw      | ::ffff:192.0.2.1    | is not an IPv4 or IPv6 address
          mtu     | 67                  | mtu '67' is not a number from 68 to 65535
          mtu     | 65536               | is not a number from 68 to 65535
          mtu     | -1500               | is not a number from 68
          mtu     | 1500abc             | is not a number from 68
          mtu     | 0x5dc               | is not a number from 68
          mtu     | 99999999999999999999 | is not a number from 68
          mac     | 01:00:5e:00:00:01   | is not a unicast MAC address
          mac     | 00:00:00:00:00:00   | is not a unicast MAC address
          mac     | 02:00:00:00:00:01;x | is not a unicast MAC address
          mac     | ../../../etc/passwd | is not a unicast MAC address
          """)
  void malformedLinkOptionsNameFileAndText(String file, String value, String message) throws Exception {
    put("interfaces/0/ip", "192.0.2.5");
    put("interfaces/0/prefix", "24");
    put("interfaces/0/dev", "br0");
    put("interfaces/0/" + file, value + "\n");
    assertThatThrownBy(this::readInterfaces)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("vs01/interfaces/0/" + file + ":")
        .hasMessageContaining(message);
  }

  @Test
  void anIpv6LinkNeedsAnMtuOfAtLeast1280() throws Exception {
    put("interfaces/0/ip", "2001:db8::5");
    put("interfaces/0/nodev", "");
    put("interfaces/0/mtu", "1279");
    assertThatThrownBy(this::readInterfaces).hasMessageContaining("from 1280 to 65535");
    put("interfaces/0/mtu", "1280");
    assertThat(readInterfaces().getFirst().mtu()).hasValue(1280);
  }

  @Test
  void aBinaryOrHugeOptionFileIsRefusedOrSkippedWhenDisabled() throws Exception {
    put("interfaces/0/ip", "192.0.2.5");
    put("interfaces/0/nodev", "");
    put("interfaces/0/mac", "\0\0\0\0");
    assertThatThrownBy(this::readInterfaces).isInstanceOf(InvalidInputException.class).hasMessageContaining("mac");
    put("interfaces/0/disabled", "");
    assertThat(readInterfaces()).isEmpty();
    assertThat(notes).anyMatch(n -> n.startsWith("interfaces/0: ignored (disabled"));
  }

  @Test
  void optionsAreWrittenAndReadBackAndStaleFilesGo() throws Exception {
    Interface full =
        new Interface("0", Optional.of("web"), Optional.of("br0"), ip("192.0.2.5"), 24, false, false)
            .withLinkOptions(Optional.of(ip("192.0.2.1")), OptionalInt.of(1400), Optional.of("02:00:00:00:00:05"));
    Interface v6 =
        new Interface("1", Optional.empty(), Optional.empty(), ip("2001:db8::5"), 128, true, false)
            .withLinkOptions(Optional.of(ip("fe80::1")), OptionalInt.empty(), Optional.empty());
    put("interfaces/0/gw", "192.0.2.254");
    InterfaceSpec.write(dir.resolve("interfaces"), List.of(full, v6));
    assertThat(dir.resolve("interfaces/0/gw")).doesNotExist();
    assertThat(dir.resolve("interfaces/0/gateway")).hasContent("192.0.2.1");
    assertThat(dir.resolve("interfaces/0/mtu")).hasContent("1400");
    assertThat(dir.resolve("interfaces/0/mac")).hasContent("02:00:00:00:00:05");
    assertThat(readInterfaces()).containsExactly(full, v6);
    // Taking the options away removes their files.
    Interface bare = full.withLinkOptions(Optional.empty(), OptionalInt.empty(), Optional.empty());
    InterfaceSpec.write(dir.resolve("interfaces"), List.of(bare));
    assertThat(dir.resolve("interfaces/0/gateway")).doesNotExist();
    assertThat(dir.resolve("interfaces/0/mtu")).doesNotExist();
    assertThat(dir.resolve("interfaces/0/mac")).doesNotExist();
    assertThat(dir.resolve("interfaces/1")).doesNotExist();
    assertThat(readInterfaces()).containsExactly(bare);
  }

  // --- NetworkSettings ---------------------------------------------------------------------------

  @Test
  void commandLineNetworkSettings() throws Exception {
    NetworkSettings s =
        NetworkSettings.parse("private", List.of("192.0.2.53", "2001:db8::53"), List.of("example.org"));
    assertThat(s.hostStack()).isFalse();
    assertThat(s.nameservers()).containsExactly(ip("192.0.2.53"), ip("2001:db8::53"));
    assertThat(s.searchDomains()).containsExactly("example.org");
    assertThat(s.managesResolvConf()).isTrue();
    NetworkSettings host = NetworkSettings.parse("host", List.of("inherit"), List.of());
    assertThat(host.hostStack()).isTrue();
    assertThat(host.inheritNameservers()).isTrue();
    assertThat(host.managesResolvConf()).isTrue();
    assertThat(NetworkSettings.parse("private", List.of(), List.of())).isEqualTo(NetworkSettings.PRIVATE);
    assertThat(NetworkSettings.PRIVATE.managesResolvConf()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "-",
      textBlock =
          """
          mode bridge      | bridge  | -                     | -              | --net 'bridge' is not a network mode
          mode empty       | ""      | -                     | -              | --net '' is not a network mode
          host name server | private | dns.example.org       | -              | --nameserver: 'dns.example.org' is not an IP address
          inherit and ip   | private | inherit,192.0.2.53    | -              | 'inherit' cannot be combined with addresses
          bad domain       | private | -                     | bad_domain!    | --searchdomain
          newline domain   | private | -                     | "a.org\nb.org" | --searchdomain
          """)
  void badNetworkSettingsAreNamed(String what, String mode, String servers, String search, String message) {
    List<String> s = servers == null ? List.of() : List.of(servers.split(","));
    List<String> d = search == null ? List.of() : List.of(search);
    assertThatThrownBy(() -> NetworkSettings.parse(mode, s, d))
        .as(what)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }

  // --- nonetns, nameserver, searchdomain in /etc/vservers/NAME -----------------------------------

  @Test
  void networkSettingsRoundTripThroughTheDirectory() throws Exception {
    NetworkSettings net =
        new NetworkSettings(false, List.of(ip("192.0.2.53"), ip("2001:db8::53")), false, List.of("example.org", "example.net"));
    GuestConfig c = base(List.of(), net);
    VserverDirectory.write(dir, c);
    assertThat(dir.resolve("nameserver")).hasContent("192.0.2.53\n2001:db8::53");
    assertThat(dir.resolve("searchdomain")).hasContent("example.org\nexample.net");
    assertThat(dir.resolve("nonetns")).doesNotExist();
    assertThat(VserverDirectory.read(dir, layout, notes::add)).isEqualTo(c);

    GuestConfig host = base(List.of(), new NetworkSettings(true, List.of(), true, List.of()));
    VserverDirectory.write(dir, host);
    assertThat(dir.resolve("nonetns")).exists();
    assertThat(dir.resolve("nameserver")).hasContent("inherit");
    assertThat(dir.resolve("searchdomain")).doesNotExist();
    assertThat(VserverDirectory.read(dir, layout, notes::add)).isEqualTo(host);

    GuestConfig plain = base(List.of(), NetworkSettings.PRIVATE);
    VserverDirectory.write(dir, plain);
    assertThat(dir.resolve("nonetns")).doesNotExist();
    assertThat(dir.resolve("nameserver")).doesNotExist();
    assertThat(VserverDirectory.read(dir, layout, notes::add)).isEqualTo(plain);
    assertThat(notes).isEmpty();
  }

  @Test
  void nameserverFilesAsAdministratorsWriteThem() throws Exception {
    VserverDirectory.write(dir, base(List.of(), NetworkSettings.PRIVATE));
    put("nameserver", "  192.0.2.53 2001:db8::53\n\n192.0.2.54\t\n");
    put("searchdomain", "example.org\n");
    GuestConfig c = VserverDirectory.read(dir, layout, notes::add);
    assertThat(c.network().nameservers()).containsExactly(ip("192.0.2.53"), ip("2001:db8::53"), ip("192.0.2.54"));
    assertThat(c.network().searchDomains()).containsExactly("example.org");
    put("nameserver", "\n");
    assertThat(VserverDirectory.read(dir, layout, notes::add).network().nameservers()).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "-",
      textBlock =
          """
          nameserver   | ns1.example.org        | vs01/nameserver
          nameserver   | inherit 192.0.2.53     | 'inherit' cannot be combined
          nameserver   | 192.0.2.53;rm          | '192.0.2.53;rm' is not an IP address
          searchdomain | -bad-.example.org      | vs01/searchdomain
          """)
  void malformedNetworkFilesAreNamed(String file, String content, String message) throws Exception {
    VserverDirectory.write(dir, base(List.of(), NetworkSettings.PRIVATE));
    put(file, content + "\n");
    assertThatThrownBy(() -> VserverDirectory.read(dir, layout, notes::add))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }

  @Test
  void nonetnsWithEnabledInterfacesIsRefusedAndWithDisabledOnesIsNot() throws Exception {
    Interface on = new Interface("0", Optional.empty(), Optional.empty(), ip("192.0.2.5"), 32, true, false);
    VserverDirectory.write(dir, base(List.of(on), NetworkSettings.PRIVATE));
    put("nonetns", "");
    assertThatThrownBy(() -> VserverDirectory.read(dir, layout, notes::add))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("vs01/nonetns")
        .hasMessageContaining("interfaces");
    put("interfaces/0/disabled", "");
    GuestConfig c = VserverDirectory.read(dir, layout, notes::add);
    assertThat(c.network().hostStack()).isTrue();
    assertThat(c.interfaces()).hasSize(1).allMatch(Interface::disabled);
    assertThat(notes).noneMatch(n -> n.contains("nonetns"));
  }
}
