package gaiola.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterfaceSpecTest {
  @TempDir Path tmp;
  final List<String> notes = new ArrayList<>();

  static InetAddress ip(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "-",
      textBlock =
          """
          eth0:192.0.2.5/24                 | -     | eth0 | 192.0.2.5   | 24  | false
          web=eth0:192.0.2.5/255.255.255.0  | web   | eth0 | 192.0.2.5   | 24  | false
          192.0.2.5                         | -     | -    | 192.0.2.5   | 32  | true
          192.0.2.5/16                      | -     | -    | 192.0.2.5   | 16  | true
          nodev:192.0.2.5                   | -     | -    | 192.0.2.5   | 32  | true
          x=nodev:192.0.2.5/0.0.0.0         | x     | -    | 192.0.2.5   | 0   | true
          2001:db8::5/64                    | -     | -    | 2001:db8::5 | 64  | true
          2001:db8::5                       | -     | -    | 2001:db8::5 | 128 | true
          eth0:2001:db8::5/64               | -     | eth0 | 2001:db8::5 | 64  | false
          dead:[2001:db8::5]/64             | -     | dead | 2001:db8::5 | 64  | false
          br0.100:::1/128                   | -     | br0.100 | ::1      | 128 | false
          """)
  void parsesCommandLineSpecs(
      String spec, String name, String dev, String ip, int prefix, boolean nodev) throws Exception {
    Interface i = InterfaceSpec.parseSpec(spec, "3");
    assertThat(i)
        .isEqualTo(
            new Interface(
                "3",
                Optional.ofNullable(name),
                Optional.ofNullable(dev),
                ip(ip),
                prefix,
                nodev,
                false));
  }

  @Test
  void unbracketedIpv6WithAHexDeviceIsTheAddress() throws Exception {
    // Documented ambiguity: 'dead:2001:db8::5' is a valid IPv6 literal as a whole.
    assertThat(InterfaceSpec.parseSpec("dead:2001:db8::5", "0").dev()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          eth0:192.0.2.5                    | gives device 'eth0' but no prefix or mask
          eth0:192.0.2.5/33                 | prefix '33' is not a number from 0 to 32
          eth0:2001:db8::5/129              | prefix '129' is not a number from 0 to 128
          eth0:192.0.2.5/-1                 | prefix '-1' is not a number
          eth0:192.0.2.5/255.0.255.0        | netmask '255.0.255.0' is not contiguous
          eth0:192.0.2.5/255.255.0          | netmask '255.255.0' is not a dotted quad
          eth0:2001:db8::5/255.255.255.0    | netmask '255.255.255.0' given for IPv6
          eth0:192.0.2.256/24               | '192.0.2.256' is not an IPv4 or IPv6 address
          eth0:192.0.2.05/24                | '192.0.2.05' is not an IPv4 or IPv6 address
          eth0:example.com/24               | 'example.com' is not an IPv4 or IPv6 address
          eth0:localhost/8                  | 'localhost' is not an IPv4 or IPv6 address
          eth0:fe80::1%eth0/64              | 'fe80::1%eth0' is not an IPv4 or IPv6 address
          eth0:::ffff:192.0.2.5/24          | '::ffff:192.0.2.5' is not an IPv4 or IPv6 address
          eth0:1:2:3:4:5:6:7:8:9/64         | '1:2:3:4:5:6:7:8:9' is not an IPv4 or IPv6 address
          eth0:1::2::3/64                   | '1::2::3' is not an IPv4 or IPv6 address
          eth0:[192.0.2.5]/24               | brackets around IPv4 address
          =eth0:192.0.2.5/24                | name '' is not a valid interface name
          averyveryverylongname=192.0.2.5   | name 'averyveryverylongname' is not a valid interface name
          a/b=192.0.2.5                     | name 'a/b' is not a valid interface name
          ..=192.0.2.5                      | name '..' is not a valid interface name
          "a b=192.0.2.5"                   | name 'a b' is not a valid interface name
          :192.0.2.5/24                     | device '' is not a valid interface name
          eth0.toolongforlinux:192.0.2.5/24 | device 'eth0.toolongforlinux' is not a valid interface name
          """)
  void rejectsBadSpecs(String spec, String message) {
    assertThatThrownBy(() -> InterfaceSpec.parseSpec(spec, "0"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("interface '" + spec + "': ")
        .hasMessageContaining(message);
  }

  @Test
  void checkUniqueRefusesDuplicateNamesAndAddresses() throws Exception {
    Interface a = InterfaceSpec.parseSpec("web=eth0:192.0.2.5/24", "0");
    Interface b = InterfaceSpec.parseSpec("web=eth0:192.0.2.6/24", "1");
    Interface c = InterfaceSpec.parseSpec("eth1:192.0.2.5/24", "2");
    Interface off =
        new Interface(
            "3", Optional.of("web"), Optional.of("eth0"), ip("192.0.2.5"), 24, false, true);
    assertThatThrownBy(() -> InterfaceSpec.checkUnique(List.of(a, b)))
        .hasMessage("interface '1': name 'web' is already used by interface '0'");
    assertThatThrownBy(() -> InterfaceSpec.checkUnique(List.of(a, c)))
        .hasMessage("interface '2': address 192.0.2.5 is already used by interface '0'");
    assertThatThrownBy(() -> InterfaceSpec.checkUnique(List.of(a, a)))
        .hasMessage("interface '0' is given twice");
    assertThat(InterfaceSpec.checkUnique(List.of(a, off))).containsExactly(a, off);
  }

  private Path entry(String name, String... fileAndValue) throws Exception {
    Path d = Files.createDirectories(tmp.resolve("interfaces").resolve(name));
    for (int i = 0; i < fileAndValue.length; i += 2) {
      Files.writeString(d.resolve(fileAndValue[i]), fileAndValue[i + 1]);
    }
    return d;
  }

  private List<Interface> read() throws Exception {
    return InterfaceSpec.read(tmp.resolve("interfaces"), "vs01/interfaces", notes::add);
  }

  @Test
  void readsTheDirectoryFormInNumericOrderWithDefaults() throws Exception {
    entry("10", "ip", "192.0.2.10\n", "mask", "255.255.255.128\n", "nodev", "");
    entry("2", "ip", "2001:db8::2", "prefix", "64", "name", "v6");
    entry("0", "ip", "192.0.2.1", "dev", "eth1", "bcast", "192.0.2.255");
    entry("x", "ip", "192.0.2.99", "disabled", "");
    Files.writeString(tmp.resolve("interfaces/dev"), "eth0\n");
    Files.writeString(tmp.resolve("interfaces/prefix"), "24\n");
    Files.writeString(tmp.resolve("interfaces/lback"), "127.0.0.1\n");
    Files.writeString(tmp.resolve("interfaces/README"), "hi\n");
    assertThat(read())
        .containsExactly(
            new Interface(
                "0", Optional.empty(), Optional.of("eth1"), ip("192.0.2.1"), 24, false, false),
            new Interface(
                "2", Optional.of("v6"), Optional.of("eth0"), ip("2001:db8::2"), 64, false, false),
            new Interface(
                "10", Optional.empty(), Optional.of("eth0"), ip("192.0.2.10"), 25, true, false),
            new Interface(
                "x", Optional.empty(), Optional.of("eth0"), ip("192.0.2.99"), 24, false, true));
    assertThat(notes)
        .containsExactlyInAnyOrder(
            "interfaces/0/bcast: ignored (util-vserver setting Gaiola does not apply)",
            "interfaces/README: ignored (not a util-vserver setting Gaiola knows)",
            "interfaces/lback: ignored (util-vserver setting Gaiola does not apply)");
  }

  @Test
  void withoutPrefixOrMaskAnAddressIsAHostAddress() throws Exception {
    entry("0", "ip", "192.0.2.1", "dev", "eth0");
    entry("1", "ip", "2001:db8::1", "nodev", "");
    assertThat(read()).extracting(Interface::prefix).containsExactly(32, 128);
  }

  @Test
  void disabledEntriesThatDoNotParseAreSkippedWithANote() throws Exception {
    entry("0", "disabled", "", "dev", "eth0");
    entry("1", "ip", "192.0.2.1", "nodev", "");
    assertThat(read()).hasSize(1);
    assertThat(notes)
        .containsExactly(
            "interfaces/0: ignored (disabled, and not loadable: vs01/interfaces/0/ip: is missing)");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          ip     | www.example.com   | vs01/interfaces/0/ip: 'www.example.com' is not an IPv4 or IPv6 address
          ip     | 10.0.0.1 10.0.0.2 | vs01/interfaces/0/ip: '10.0.0.1 10.0.0.2' is not an IPv4 or IPv6 address
          prefix | 40                | vs01/interfaces/0/prefix: prefix '40' is not a number from 0 to 32
          prefix | 24a               | vs01/interfaces/0/prefix: prefix '24a' is not a number from 0 to 32
          mask   | 255.255.0.255     | vs01/interfaces/0/mask: netmask '255.255.0.255' is not contiguous
          dev    | eth 0             | vs01/interfaces/0/dev: device 'eth 0' is not a valid interface name
          name   | a:b               | vs01/interfaces/0/name: name 'a:b' is not a valid interface name
          """)
  void malformedEntryFilesNameFileAndText(String file, String value, String message)
      throws Exception {
    entry("0", "ip", "192.0.2.1", "dev", "eth0", file, value + "\n");
    assertThatThrownBy(this::read).isInstanceOf(InvalidInputException.class).hasMessage(message);
  }

  @Test
  void entryNeedsIpAndDevOrNodev() throws Exception {
    entry("0", "dev", "eth0");
    assertThatThrownBy(this::read).hasMessage("vs01/interfaces/0/ip: is missing");
    entry("0", "ip", "192.0.2.1");
    Files.delete(tmp.resolve("interfaces/0/dev"));
    assertThatThrownBy(this::read)
        .hasMessage("vs01/interfaces/0: has neither 'dev' nor 'nodev'")
        .satisfies(
            e -> assertThat(((InvalidInputException) e).hint()).get().asString().contains("nodev"));
  }

  @Test
  void duplicateAddressesInTheDirectoryAreRefused() throws Exception {
    entry("0", "ip", "192.0.2.1", "nodev", "");
    entry("1", "ip", "192.0.2.1", "nodev", "");
    assertThatThrownBy(this::read)
        .hasMessage(
            "vs01/interfaces: interface '1': address 192.0.2.1 is already used by interface '0'");
  }

  @Test
  void writeThenReadIsIdentityAndRemovesStaleEntries() throws Exception {
    entry("7", "ip", "192.0.2.7", "nodev", "");
    entry("0", "ip", "192.0.2.1", "mask", "255.0.0.0", "dev", "old0", "tun", "");
    List<Interface> list =
        List.of(
            InterfaceSpec.parseSpec("web=eth0:192.0.2.1/24", "0"),
            InterfaceSpec.parseSpec("nodev:[2001:db8::1]/64", "1"),
            new Interface(
                "2", Optional.empty(), Optional.of("eth1"), ip("198.51.100.1"), 24, false, true));
    InterfaceSpec.write(tmp.resolve("interfaces"), list);
    assertThat(read()).isEqualTo(list);
    assertThat(tmp.resolve("interfaces/7")).doesNotExist();
    assertThat(tmp.resolve("interfaces/0/mask")).doesNotExist();
    assertThat(tmp.resolve("interfaces/0/tun")).exists();
    assertThat(tmp.resolve("interfaces/1/ip")).hasContent("2001:db8::1");
  }

  @ParameterizedTest
  @CsvSource({
    "0.0.0.0, true", "255.255.255.255, true", "::, true", "::1, true", "2001:DB8::a, true",
    "1:2:3:4:5:6:7::, true", "::ffff:0:1.2.3.4, true", "1:2:3:4:5:6:1.2.3.4, true",
    "256.0.0.1, false", "1.2.3, false", "1.2.3.4.5, false", "01.2.3.4, false", "1.2.3.4/24, false",
    "localhost, false", "example.com, false", "0x7f.0.0.1, false", "2130706433, false",
    "1:2:3:4:5:6:7:8:9, false", "1::2::3, false", ":1::, false", "1:::2, false", "12345::, false",
    "fe80::1%1, false", "::ffff:1.2.3.4, false", "1:2:3:4:5:6:7:1.2.3.4, false", "[::1], false"
  })
  void parsesOnlyStrictLiterals(String text, boolean valid) {
    assertThat(IpLiteral.parse(text).isPresent()).isEqualTo(valid);
  }

  @Test
  void formatsIpv6AsRfc5952() {
    assertThat(IpLiteral.format(ip("2001:0db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
    assertThat(IpLiteral.format(ip("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(IpLiteral.format(ip("::"))).isEqualTo("::");
    assertThat(IpLiteral.format(ip("1::"))).isEqualTo("1::");
    assertThat(IpLiteral.format(ip("::1.2.3.4"))).isEqualTo("::102:304");
  }
}
