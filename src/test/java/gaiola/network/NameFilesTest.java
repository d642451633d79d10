package gaiola.network;

import static gaiola.network.NetworkPlanTest.guest;
import static gaiola.network.NetworkPlanTest.ip;
import static gaiola.network.NetworkPlanTest.nodev;
import static gaiola.network.NetworkPlanTest.onDev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.Interface;
import gaiola.config.NetworkSettings;
import gaiola.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resolv.conf and the hosts line, in trees as a guest's owner may have left them. */
class NameFilesTest {
  @TempDir Path tmp;
  Path vdir;
  Path canary;
  Path hostResolv;

  @BeforeEach
  void setUp() throws Exception {
    vdir = Files.createDirectories(tmp.resolve("vservers/vs01"));
    Files.createDirectories(vdir.resolve("etc"));
    // Outside the guest's root: what a planted link would aim at.
    canary = Files.writeString(tmp.resolve("canary"), "untouched\n");
    hostResolv = Files.writeString(tmp.resolve("host-resolv.conf"), "nameserver 192.0.2.53\noptions edns0\n");
  }

  @AfterEach
  void canaryIsUntouched() throws Exception {
    assertThat(Files.readString(canary)).isEqualTo("untouched\n");
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : all.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  static NetworkSettings settings(List<String> servers, List<String> search) {
    return new NetworkSettings(
        false, servers.stream().map(NetworkPlanTest::ip).toList(), false, search);
  }

  static List<GuestLink> links(Interface... interfaces) throws Exception {
    return NetworkPlan.plan(guest("vs01", 1001, interfaces), NetworkPlanTest.PRIVATE, NetworkPlanTest.HOST);
  }

  @Test
  void resolvConfListsSearchDomainsAndServers() throws Exception {
    NameFiles.writeResolvConf(
        vdir, "vs01", settings(List.of("192.0.2.53", "2001:db8::53"), List.of("example.org", "example.net")), hostResolv);
    assertThat(Files.readString(vdir.resolve("etc/resolv.conf")))
        .isEqualTo(
            "# written by Gaiola from /etc/vservers/vs01\n"
                + "search example.org example.net\n"
                + "nameserver 192.0.2.53\n"
                + "nameserver 2001:db8::53\n");
    assertThat(Files.getPosixFilePermissions(vdir.resolve("etc/resolv.conf")))
        .containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void anUnchangedFileIsLeftInPlaceAndAChangedOneReplaced() throws Exception {
    NetworkSettings one = settings(List.of("192.0.2.53"), List.of("example.org"));
    NameFiles.writeResolvConf(vdir, "vs01", one, hostResolv);
    Path file = vdir.resolve("etc/resolv.conf");
    Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    NameFiles.writeResolvConf(vdir, "vs01", one, hostResolv);
    assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .isEqualTo(inode);
    NameFiles.writeResolvConf(vdir, "vs01", settings(List.of("192.0.2.54"), List.of()), hostResolv);
    assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .isNotEqualTo(inode);
    assertThat(Files.readString(file)).contains("nameserver 192.0.2.54").doesNotContain("192.0.2.53");
  }

  @Test
  void searchDomainsAloneGiveNoNameserverLine() throws Exception {
    NameFiles.writeResolvConf(vdir, "vs01", settings(List.of(), List.of("example.org")), hostResolv);
    String text = Files.readString(vdir.resolve("etc/resolv.conf"));
    assertThat(text).contains("search example.org\n").doesNotContain("nameserver");
  }

  @Test
  void inheritCopiesTheHostsFile() throws Exception {
    Files.writeString(vdir.resolve("etc/resolv.conf"), "nameserver 10.9.9.9\n");
    NameFiles.writeResolvConf(vdir, "vs01", new NetworkSettings(false, List.of(), true, List.of()), hostResolv);
    assertThat(Files.readString(vdir.resolve("etc/resolv.conf"))).isEqualTo(Files.readString(hostResolv));
  }

  @Test
  void withoutSettingsTheGuestsFileIsLeftAlone() throws Exception {
    Files.writeString(vdir.resolve("etc/resolv.conf"), "nameserver 10.9.9.9\n");
    NameFiles.writeResolvConf(vdir, "vs01", NetworkSettings.PRIVATE, hostResolv);
    assertThat(Files.readString(vdir.resolve("etc/resolv.conf"))).isEqualTo("nameserver 10.9.9.9\n");
  }

  @Test
  void theHostsLineIsReplacedNotDuplicatedAndOtherLinesStay() throws Exception {
    Path hosts = vdir.resolve("etc/hosts");
    Files.writeString(hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n10.1.1.1\tdb\n\n");
    NameFiles.writeHosts(vdir, "web", Optional.of("example.org"), links(onDev("0", null, "br0", "192.0.2.5", 24)));
    NameFiles.writeHosts(
        vdir, "web", Optional.of("example.org"),
        links(nodev("0", null, "2001:db8::7"), onDev("1", null, "br0", "192.0.2.5", 24)));
    assertThat(Files.readString(hosts))
        .isEqualTo(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n10.1.1.1\tdb\n"
                + "2001:db8::7\tweb.example.org web\t" + NameFiles.MARK + "\n");
  }

  @Test
  void aMissingHostsFileGetsLocalhostAndTheGuestsLine() throws Exception {
    NameFiles.writeHosts(vdir, "web", Optional.empty(), links(onDev("0", null, "br0", "192.0.2.5", 24)));
    assertThat(Files.readString(vdir.resolve("etc/hosts")))
        .isEqualTo("127.0.0.1\tlocalhost\n192.0.2.5\tweb\t" + NameFiles.MARK + "\n");
  }

  @Test
  void aGuestWithoutAddressesKeepsItsHostsFile() throws Exception {
    NameFiles.writeHosts(vdir, "web", Optional.empty(), List.of());
    assertThat(vdir.resolve("etc/hosts")).doesNotExist();
  }

  @Test
  void anAbsoluteLinkOutOfTheRootIsFollowedInsideIt() throws Exception {
    Path canary2 = Files.writeString(tmp.resolve("canary2"), "untouched\n");
    Files.createSymbolicLink(vdir.resolve("etc/resolv.conf"), canary);
    Files.createSymbolicLink(vdir.resolve("etc/hosts"), canary2);
    NameFiles.writeResolvConf(vdir, "vs01", settings(List.of("192.0.2.53"), List.of()), hostResolv);
    NameFiles.writeHosts(vdir, "web", Optional.empty(), links(onDev("0", null, "br0", "192.0.2.5", 24)));
    // The links' targets, read as the guest would: under its own root.
    assertThat(Files.readString(vdir.resolve(canary.toString().substring(1)))).contains("nameserver 192.0.2.53");
    assertThat(Files.readString(vdir.resolve(canary2.toString().substring(1)))).contains("192.0.2.5\tweb");
    assertThat(Files.readString(canary2)).isEqualTo("untouched\n");
    assertThat(Files.isSymbolicLink(vdir.resolve("etc/resolv.conf"))).isTrue();
  }

  @Test
  void aRelativeLinkWithDotDotsNeverLeavesTheRoot() throws Exception {
    Files.createSymbolicLink(vdir.resolve("etc/resolv.conf"), Path.of("../../../../../../../../" + canary));
    NameFiles.writeResolvConf(vdir, "vs01", settings(List.of("192.0.2.53"), List.of()), hostResolv);
    assertThat(Files.readString(vdir.resolve(canary.toString().substring(1)))).contains("nameserver 192.0.2.53");
  }

  @Test
  void anEtcLinkedOutOfTheRootStaysInside() throws Exception {
    Files.delete(vdir.resolve("etc"));
    Path outsideEtc = Files.createDirectories(tmp.resolve("outside-etc"));
    Files.createSymbolicLink(vdir.resolve("etc"), outsideEtc);
    NameFiles.writeResolvConf(vdir, "vs01", settings(List.of("192.0.2.53"), List.of()), hostResolv);
    try (Stream<Path> s = Files.list(outsideEtc)) {
      assertThat(s).isEmpty();
    }
    assertThat(vdir.resolve(outsideEtc.toString().substring(1)).resolve("resolv.conf")).exists();
  }

  @Test
  void aDirectoryWhereTheFileBelongsIsAClearError() throws Exception {
    Files.createDirectories(vdir.resolve("etc/resolv.conf/x"));
    Files.createDirectories(vdir.resolve("etc/hosts"));
    assertThatThrownBy(
            () -> NameFiles.writeResolvConf(vdir, "vs01", settings(List.of("192.0.2.53"), List.of()), hostResolv))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("/etc/resolv.conf")
        .hasMessageContaining("not a regular file");
    assertThatThrownBy(
            () -> NameFiles.writeHosts(vdir, "web", Optional.empty(), links(onDev("0", null, "br0", "192.0.2.5", 24))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("hosts")
        .hasMessageContaining("not a regular file");
    assertThat(vdir.resolve("etc/resolv.conf/x")).isDirectory();
    assertThat(vdir.resolve("etc/hosts")).isDirectory();
  }

  @Test
  void aHostResolvConfThatIsNotAFileIsRefusedOnInherit() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("not-a-file"));
    assertThatThrownBy(
            () -> NameFiles.writeResolvConf(vdir, "vs01", new NetworkSettings(false, List.of(), true, List.of()), dir))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not-a-file");
    assertThat(vdir.resolve("etc/resolv.conf")).doesNotExist();
  }
}
