package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.ConflictException;
import gaiola.guest.GuestState;
import gaiola.host.Command;
import gaiola.host.Completion;
import gaiola.host.Pidfd;
import gaiola.host.Signals;
import gaiola.host.SystemProcessRunner;
import gaiola.network.BindingTrap;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guests' own addresses on a bridge, a macvlan and a routed link. Everything runs on links this
 * test makes: a bridge without uplink, a veth pair standing in for a host NIC whose far end lives
 * in a namespace of the test, and documentation addresses only. Nothing is routed off the machine.
 */
@RequiresGuestHost
class NetworkIT {
  static final String BRIDGE = "gnbr0";
  static final String NIC = "gneth0";
  static final String NIC_PEER = "gneth1";
  static final String PEER_NS = "gaiola-it-peer";
  static final SystemProcessRunner RUN = new SystemProcessRunner();

  static TestHost host;

  @BeforeAll
  static void setUp() throws Exception {
    removeTestLinks();
    ip("link", "add", BRIDGE, "type", "bridge");
    ip("addr", "add", "198.51.100.1/24", "dev", BRIDGE);
    ip("link", "set", BRIDGE, "up");
    ip("netns", "add", PEER_NS);
    ip("link", "add", NIC, "type", "veth", "peer", "name", NIC_PEER, "netns", PEER_NS);
    ip("link", "set", NIC, "up");
    ip("-n", PEER_NS, "addr", "add", "203.0.113.1/24", "dev", NIC_PEER);
    ip("-n", PEER_NS, "link", "set", NIC_PEER, "up");
    host = new TestHost();
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (host != null) {
        host.close();
      }
    } finally {
      removeTestLinks();
    }
    assertThat(Files.exists(Path.of("/sys/class/net", BRIDGE))).as("test bridge left").isFalse();
    assertThat(Files.exists(Path.of("/sys/class/net", NIC))).as("test NIC left").isFalse();
    assertThat(Files.exists(Path.of("/run/netns", PEER_NS))).as("test netns left").isFalse();
  }

  static void removeTestLinks() throws Exception {
    for (String link : List.of(BRIDGE, NIC)) {
      if (Files.exists(Path.of("/sys/class/net", link))) {
        ip("link", "del", link);
      }
    }
    if (Files.exists(Path.of("/run/netns", PEER_NS))) {
      ip("netns", "del", PEER_NS);
    }
  }

  static Completion ip(String... args) throws Exception {
    return RUN.run(Command.of(prepend("ip", args)));
  }

  static String[] prepend(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** Serves a page from the guest with busybox httpd on ADDRESS:8080. */
  static void serve(GuestName g, String listen, String page) throws Exception {
    Path www = host.guests.config(g).vdir().resolve("www");
    Files.createDirectories(www);
    Files.writeString(www.resolve("index.html"), page);
    host.exec(g, "httpd", "-p", listen, "-h", "/www");
  }

  static String httpGet(String address, int port) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 3000);
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      out.write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void twoGuestsOnOneBridgeReachEachOtherAndTheHostReachesThem() throws Exception {
    GuestName a = host.busybox("neta", 1301, InitStyle.SYSV, List.of("web=" + BRIDGE + ":198.51.100.11/24"));
    // Two unnamed entries on one device share one link, as util-vserver's several addresses on a dev.
    GuestName b = host.busybox("netb", 1302, InitStyle.PLAIN,
        List.of(BRIDGE + ":198.51.100.12/24", BRIDGE + ":[2001:db8::12]/64"));
    host.guests.start(a);
    host.guests.start(b);
    try {
      // Exactly the configured addresses: loopback and the one link.
      String addrs = host.exec(a, "ip", "-o", "addr");
      assertThat(addrs).contains("lo ", "web ", "198.51.100.11/24");
      assertThat(host.exec(a, "ip", "-o", "link").lines()).hasSize(2);
      assertThat(host.exec(b, "ip", "-o", "link").lines()).hasSize(2);
      assertThat(host.exec(b, "ip", "-o", "addr")).contains("eth0", "198.51.100.12/24", "2001:db8::12/64");

      serve(a, "198.51.100.11:8080", "hello from neta\n");
      assertThat(host.exec(b, "wget", "-q", "-O", "-", "http://198.51.100.11:8080/index.html"))
          .isEqualTo("hello from neta");
      assertThat(host.exec(b, "ping", "-c", "1", "-W", "2", "198.51.100.11")).contains("1 packets received");
      assertThat(host.exec(a, "ping", "-c", "1", "-W", "2", "198.51.100.12")).contains("1 packets received");
      // The host reaches a guest through the guest's own address on the test bridge.
      assertThat(httpGet("198.51.100.11", 8080)).contains("hello from neta");

      // A guest cannot bind the other guest's address, nor the host's: EADDRNOTAVAIL.
      for (String foreign : List.of("198.51.100.11", "198.51.100.1")) {
        var c = host.guests.execCaptured(b, List.of("httpd", "-f", "-p", foreign + ":8081"));
        assertThat(c.exitStatus()).as("bind %s", foreign).isNotZero();
        assertThat(c.stderr()).contains("Cannot assign requested address");
      }

      // The binding trap: a host wildcard listener on a port a guest serves is found.
      try (var server = new java.net.ServerSocket(8080)) {
        List<BindingTrap.Finding> findings = host.guests.bindingTrap();
        assertThat(findings)
            .anySatisfy(
                f -> {
                  assertThat(f.host().port()).isEqualTo(8080);
                  assertThat(f.guest().guest()).isEqualTo("neta");
                  assertThat(f.pid()).isEqualTo(ProcessHandle.current().pid());
                });
      }
      assertThat(host.guests.bindingTrap()).noneMatch(f -> f.host().port() == 8080);

      var view = host.guests.network(a);
      assertThat(view.links()).singleElement().satisfies(l -> assertThat(l.guestName()).isEqualTo("web"));
      assertThat(view.hostEnds().values()).containsOnly("up");
    } finally {
      host.guests.stop(a);
      host.guests.stop(b);
    }
    assertThat(host.leftoverLinks()).isEmpty();
  }

  @Test
  void macvlanGuestSitsOnTheDevicesLan() throws Exception {
    GuestName m = host.busybox("netm", 1303, InitStyle.SYSV, List.of(NIC + ":203.0.113.5/24"));
    host.guests.start(m);
    try {
      assertThat(host.exec(m, "ip", "-o", "link")).contains("eth0@");
      assertThat(
              RUN.run(Command.of("ip", "netns", "exec", PEER_NS, "busybox", "ping", "-c", "1", "-W", "2", "203.0.113.5"))
                  .stdout())
          .contains("1 packets received");
      serve(m, "203.0.113.5:8080", "macvlan page\n");
      assertThat(
              RUN.run(
                      Command.of(
                          "ip", "netns", "exec", PEER_NS, "busybox", "wget", "-q", "-O", "-",
                          "http://203.0.113.5:8080/index.html"))
                  .stdout())
          .contains("macvlan page");
      // A macvlan has no host end: nothing of the guest is visible among the host's links.
      assertThat(host.leftoverLinks()).isEmpty();
    } finally {
      host.guests.stop(m);
    }
  }

  @Test
  void routedGuestOwnsAHostRouteAndReachesTheHost() throws Exception {
    GuestName r = host.busybox("netr", 1304, InitStyle.SYSV, List.of("nodev:203.0.113.20", "nodev:[2001:db8:1::20]"));
    host.guests.start(r);
    try {
      assertThat(host.exec(r, "ip", "-o", "addr")).contains("203.0.113.20/32", "2001:db8:1::20/128");
      assertThat(RUN.run(Command.of("busybox", "ping", "-c", "1", "-W", "2", "203.0.113.20")).stdout())
          .contains("1 packets received");
      assertThat(RUN.run(Command.of("busybox", "ping6", "-c", "1", "-W", "2", "2001:db8:1::20")).stdout())
          .contains("1 packets received");
      // The host's own address on another link answers the guest (no forwarding involved).
      assertThat(host.exec(r, "ping", "-c", "1", "-W", "2", "198.51.100.1")).contains("1 packets received");
      assertThat(host.leftoverLinks()).hasSize(1);
    } finally {
      host.guests.stop(r);
    }
    assertThat(host.leftoverLinks()).isEmpty();
    assertThat(ip("route", "show").stdout()).doesNotContain("203.0.113.20");
  }

  @Test
  void anAddressHeldElsewhereIsRefusedAtStartAndNothingIsLeft() throws Exception {
    GuestName owner = host.busybox("netc1", 1305, InitStyle.SYSV, List.of(BRIDGE + ":198.51.100.31/24"));
    GuestName clash = host.busybox("netc2", 1306, InitStyle.SYSV, List.of(BRIDGE + ":198.51.100.31/24"));
    GuestName hostHeld = host.busybox("netc3", 1307, InitStyle.SYSV, List.of(BRIDGE + ":198.51.100.1/24"));
    host.guests.start(owner);
    try {
      assertThatThrownBy(() -> host.guests.start(clash))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("198.51.100.31")
          .hasMessageContaining("'netc1'");
      assertThat(host.guests.state(clash)).isInstanceOf(GuestState.Stopped.class);
    } finally {
      host.guests.stop(owner);
    }
    assertThatThrownBy(() -> host.guests.start(hostHeld))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("held by the host on " + BRIDGE);
    host.assertNoLeftovers();
  }

  @Test
  void gatewayMtuMacAndNameFilesComeFromTheConfiguration() throws Exception {
    GuestName g = host.busybox("neto", 1310, InitStyle.SYSV);
    host.guests.addInterface(
        g, "up=" + BRIDGE + ":198.51.100.51/24", java.util.Optional.of("198.51.100.1"),
        java.util.Optional.of("1400"), java.util.Optional.of("02:00:c6:33:64:0b"));
    Files.writeString(host.configDir(g).resolve("nameserver"), "192.0.2.53\n2001:db8::53\n");
    Files.writeString(host.configDir(g).resolve("searchdomain"), "example.org\n");
    // A link planted in the guest must not carry a write outside its tree: it resolves inside.
    Path vdir = host.guests.config(g).vdir();
    Path canary = Files.writeString(host.root.resolve("canary"), "untouched\n");
    Path hosts = vdir.resolve("etc/hosts");
    Files.delete(hosts);
    Files.createSymbolicLink(hosts, Path.of("../../../../../../../..").resolve(canary.toString().substring(1)));
    host.guests.start(g);
    try {
      assertThat(host.exec(g, "ip", "-o", "link", "show", "up")).contains("mtu 1400", "02:00:c6:33:64:0b");
      assertThat(host.exec(g, "ip", "route")).contains("default via 198.51.100.1 dev up");
      assertThat(host.exec(g, "cat", "/etc/resolv.conf"))
          .contains("search example.org", "nameserver 192.0.2.53", "nameserver 2001:db8::53");
      assertThat(Files.readString(canary)).isEqualTo("untouched\n");
      assertThat(Files.readString(vdir.resolve(canary.toString().substring(1))))
          .contains("198.51.100.51\tneto\t# gaiola");
    } finally {
      host.guests.stop(g);
    }
  }

  @Test
  void aHostStackGuestSeesTheHostsLinksAndSaysSo() throws Exception {
    GuestName g = host.busybox("neth", 1311, InitStyle.SYSV);
    Files.writeString(host.configDir(g).resolve("nonetns"), "");
    host.guests.start(g);
    try {
      assertThat(host.exec(g, "ip", "-o", "link")).contains(BRIDGE);
      assertThat(host.guests.status(g).config().network().hostStack()).isTrue();
      assertThatThrownBy(
              () -> host.guests.addInterface(g, BRIDGE + ":198.51.100.61/24", java.util.Optional.empty(),
                  java.util.Optional.empty(), java.util.Optional.empty()))
          .hasMessageContaining("running");
    } finally {
      host.guests.stop(g);
    }
    assertThatThrownBy(
            () -> host.guests.addInterface(g, BRIDGE + ":198.51.100.61/24", java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty()))
        .hasMessageContaining("cannot have interfaces");
  }

  @Test
  void aGuestWithoutInterfacesHasOnlyLoopback() throws Exception {
    GuestName g = host.busybox("netl", 1309, InitStyle.SYSV);
    host.guests.start(g);
    try {
      assertThat(host.exec(g, "ip", "-o", "link").lines().toList())
          .singleElement()
          .satisfies(l -> assertThat(l).contains("lo:", "UP"));
    } finally {
      host.guests.stop(g);
    }
  }

  @Test
  void aCrashedGuestLeavesNothingAndStartsAgain() throws Exception {
    GuestName g = host.busybox("netk", 1308, InitStyle.SYSV, List.of(BRIDGE + ":198.51.100.41/24"));
    var running = host.guests.start(g);
    try (Pidfd init = Pidfd.open(running.initPid()).orElseThrow()) {
      init.signal(Signals.SIGKILL);
      assertThat(init.awaitExit(Duration.ofSeconds(5))).isTrue();
    }
    // The namespace died with the init; start finds the guest stopped and its names free.
    assertThat(host.guests.state(g)).isInstanceOf(GuestState.Stopped.class);
    host.guests.start(g);
    try {
      assertThat(host.exec(g, "ip", "-o", "addr")).contains("198.51.100.41/24");
      assertThat(host.leftoverLinks()).hasSize(1);
    } finally {
      host.guests.stop(g);
    }
    host.assertNoLeftovers();
  }
}
