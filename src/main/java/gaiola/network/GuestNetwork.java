package gaiola.network;

import gaiola.config.IpLiteral;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.Command;
import gaiola.host.ProcessRunner;
import gaiola.host.Programs;
import gaiola.host.Rollback;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings a guest's planned links to life in the network namespace of its init, between runc's
 * create and start, with iproute2. The namespace belongs to the guest's init: when the guest ends,
 * the kernel removes it with every link inside, and a veth pair's host end goes with its peer.
 */
public final class GuestNetwork {
  /** The host end's link-local address, the IPv6 next hop of a routed guest. */
  static final String ROUTED_IPV6_HOP = "fe80::1";

  private final ProcessRunner runner;

  public GuestNetwork(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * Creates the links and configures them inside the guest whose init is {@code initPid}; each host
   * end is registered with {@code undo}, so a failed start removes it.
   */
  public void attach(List<GuestLink> links, long initPid, Rollback undo) throws GaiolaException {
    if (links.isEmpty()) {
      return;
    }
    String ip = Programs.require("ip").toString();
    String netns = Long.toString(initPid);
    for (GuestLink link : links) {
      List<String> add = new ArrayList<>(List.of(ip, "link", "add"));
      if (link.mode() == GuestLink.Mode.MACVLAN) {
        // Made in the guest's namespace directly: no host-side name exists even for a moment.
        add.addAll(List.of("link", link.hostDevice().orElseThrow(), "name", link.guestName(), "netns", netns));
        add.addAll(mtu(link));
        add.addAll(List.of("type", "macvlan", "mode", "bridge"));
        runner.run(Command.of(add));
        continue;
      }
      String hostEnd = link.hostEnd().orElseThrow();
      add.addAll(List.of(hostEnd));
      add.addAll(mtu(link));
      add.addAll(List.of("type", "veth", "peer", "name", link.guestName(), "netns", netns));
      add.addAll(mtu(link));
      try {
        undo.step(() -> runner.run(Command.of(add)));
      } catch (IOException e) {
        throw new HostException("cannot create " + hostEnd + ": " + e.getMessage(), e);
      }
      undo.add(() -> removeHostEnd(hostEnd));
      runner.run(hostSide(ip, link));
    }
    // One nsenter for everything inside: each program start costs milliseconds.
    String nsenter = Programs.require("nsenter").toString();
    byte[] batch = guestBatch(links).getBytes(StandardCharsets.UTF_8);
    runner.run(
        new Command(
            List.of(nsenter, "--net=/proc/" + initPid + "/ns/net", "--", ip, "-batch", "-"),
            Optional.empty(),
            Optional.of(batch)));
  }

  private static List<String> mtu(GuestLink link) {
    return link.mtu().isPresent() ? List.of("mtu", Integer.toString(link.mtu().getAsInt())) : List.of();
  }

  /** Joins the bridge or, for a routed link, routes the guest's addresses to it; then up. */
  private static Command hostSide(String ip, GuestLink link) {
    String hostEnd = link.hostEnd().orElseThrow();
    List<String> script = new ArrayList<>();
    if (link.mode() == GuestLink.Mode.BRIDGED) {
      script.add("link set dev " + hostEnd + " master " + link.hostDevice().orElseThrow() + " up");
    } else {
      script.add("link set dev " + hostEnd + " up");
      boolean v6 = false;
      for (GuestLink.Address a : link.addresses()) {
        script.add("route add " + IpLiteral.format(a.ip()) + "/" + a.prefix() + " dev " + hostEnd);
        v6 |= a.ip() instanceof Inet6Address;
      }
      if (v6) {
        script.add("addr add " + ROUTED_IPV6_HOP + "/64 dev " + hostEnd + " nodad");
      }
    }
    return new Command(
        List.of(ip, "-batch", "-"),
        Optional.empty(),
        Optional.of((String.join("\n", script) + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The commands run inside: MAC, addresses (IPv6 without DAD), up, routes. Names always follow
   * {@code dev}, or a link called {@code up} or {@code mtu} would read as a keyword.
   */
  static String guestBatch(List<GuestLink> links) {
    StringBuilder b = new StringBuilder();
    for (GuestLink link : links) {
      String n = link.guestName();
      if (link.mac().isPresent()) {
        b.append("link set dev ").append(n).append(" address ").append(link.mac().get()).append('\n');
      }
      for (GuestLink.Address a : link.addresses()) {
        b.append("addr add ").append(IpLiteral.format(a.ip())).append('/').append(a.prefix());
        b.append(" dev ").append(n);
        // Without nodad an IPv6 address stays tentative for a second and cannot be bound.
        b.append(a.ip() instanceof Inet6Address ? " nodad\n" : "\n");
      }
      b.append("link set dev ").append(n).append(" up\n");
    }
    // One default route per family: a second one makes 'ip route add' fail (File exists), so a
    // routed link's own default is left out when any link has a gateway or an earlier one has it.
    boolean default4 = links.stream().flatMap(l -> l.gateways().stream()).anyMatch(g -> !(g instanceof Inet6Address));
    boolean default6 = links.stream().flatMap(l -> l.gateways().stream()).anyMatch(g -> g instanceof Inet6Address);
    for (GuestLink link : links) {
      String n = link.guestName();
      if (link.mode() == GuestLink.Mode.ROUTED) {
        boolean v4 = link.addresses().stream().anyMatch(a -> !(a.ip() instanceof Inet6Address));
        boolean v6 = link.addresses().stream().anyMatch(a -> a.ip() instanceof Inet6Address);
        // The host answers for its own addresses on any link, so the link itself is the route.
        if (v4 && !default4) {
          b.append("route add 0.0.0.0/0 dev ").append(n).append('\n');
          default4 = true;
        }
        if (v6 && !default6) {
          b.append("route add ::/0 via ").append(ROUTED_IPV6_HOP).append(" dev ").append(n).append('\n');
          default6 = true;
        }
      }
      for (InetAddress gw : link.gateways()) {
        String any = gw instanceof Inet6Address ? "::/0" : "0.0.0.0/0";
        // onlink: a gateway outside the link's prefix (common with routed setups) is still taken.
        b.append("route add ").append(any).append(" via ").append(IpLiteral.format(gw));
        b.append(" dev ").append(n).append(" onlink\n");
      }
    }
    return b.toString();
  }

  /** The links inside the guest whose init is {@code initPid}, as its kernel namespace has them. */
  public List<LinkState> inside(long initPid) throws GaiolaException {
    String out =
        runner
            .run(
                Command.of(
                    Programs.require("nsenter").toString(),
                    "--net=/proc/" + initPid + "/ns/net",
                    "--",
                    Programs.require("ip").toString(),
                    "-j",
                    "addr",
                    "show"))
            .stdout();
    try {
      return LinkState.parse(out);
    } catch (IOException e) {
      throw new HostException("cannot read 'ip -j addr' output: " + e.getMessage(), e);
    }
  }

  /** The host end's state from sysfs: {@code up}, {@code down}…, or {@code absent}. */
  public static String hostEndState(String hostEnd) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net", hostEnd, "operstate")).strip();
    } catch (IOException e) {
      return "absent";
    }
  }

  /** Removes those of the named host ends that still exist. */
  public void detach(List<String> hostEnds) throws GaiolaException {
    for (String end : hostEnds) {
      removeHostEnd(end);
    }
  }

  private void removeHostEnd(String hostEnd) throws GaiolaException {
    if (SystemHostLinks.exists(hostEnd)) {
      // probe: the kernel may remove it between the check and the command.
      runner.probe(Command.of(Programs.require("ip").toString(), "link", "del", hostEnd));
    }
  }
}
