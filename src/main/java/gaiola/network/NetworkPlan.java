package gaiola.network;

import gaiola.config.GuestConfig;
import gaiola.config.HostLayout;
import gaiola.config.Interface;
import gaiola.config.IpLiteral;
import gaiola.error.InvalidInputException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns a guest's interface entries into the links it gets. A named entry is a link of its own
 * (names are unique in a guest); entries without a name on the same device share one link
 * (util-vserver guests often hold several addresses on one {@code dev}), as do unnamed {@code
 * nodev} entries. Unnamed links are called {@code eth0}, {@code eth1}… in order,
 * skipping names that are taken. The device decides the mode: a bridge gets a veth pair, any other
 * link a macvlan child, {@code nodev} a routed veth pair.
 */
public final class NetworkPlan {
  /** More links than this are certainly a mistake, and host-end names have two digits. */
  static final int MAX_LINKS = 100;

  private NetworkPlan() {}

  /** The links of {@code config}'s enabled interfaces; empty for a guest with none. */
  public static List<GuestLink> plan(GuestConfig config, HostLayout layout, HostLinks host)
      throws InvalidInputException {
    List<Interface> enabled = config.interfaces().stream().filter(i -> !i.disabled()).toList();
    if (enabled.isEmpty()) {
      return List.of();
    }
    String guest = config.name().value();
    if (config.network().hostStack()) {
      throw new InvalidInputException(
          guest + ": shares the host's network (nonetns) but has interfaces",
          "remove nonetns, or remove the guest's interfaces");
    }
    Map<String, List<Interface>> groups = new LinkedHashMap<>();
    for (Interface i : enabled) {
      String key = i.name().map(n -> "name " + n).orElse(i.nodev() ? "nodev" : "dev " + i.dev().orElseThrow());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    if (groups.size() > MAX_LINKS) {
      throw new InvalidInputException(
          guest + ": " + groups.size() + " network links are more than " + MAX_LINKS,
          "put several addresses on one link (same name or device)");
    }
    Set<String> taken = new HashSet<>();
    for (Interface i : enabled) {
      i.name().ifPresent(taken::add);
    }
    if (taken.contains("lo")) {
      throw new InvalidInputException(
          guest + ": an interface is named 'lo', the guest's loopback", "choose another name");
    }
    List<GuestLink> links = new ArrayList<>();
    Set<InetAddress> gatewayFamilies = new HashSet<>();
    int eth = 0;
    for (List<Interface> group : groups.values()) {
      Interface first = group.getFirst();
      String name;
      if (first.name().isPresent()) {
        name = first.name().get();
      } else {
        while (taken.contains("eth" + eth)) {
          eth++;
        }
        name = "eth" + eth;
        taken.add(name);
      }
      links.add(link(guest, name, group, links.size(), config, layout, host, gatewayFamilies));
    }
    return links;
  }

  private static GuestLink link(
      String guest,
      String name,
      List<Interface> group,
      int position,
      GuestConfig config,
      HostLayout layout,
      HostLinks host,
      Set<InetAddress> gatewayFamilies)
      throws InvalidInputException {
    Interface first = group.getFirst();
    for (Interface i : group) {
      if (i.nodev() != first.nodev() || !i.dev().equals(first.dev())) {
        throw new InvalidInputException(
            guest + "/interfaces/" + i.index() + ": link '" + name + "' is on "
                + where(i) + " here but on " + where(first) + " in interfaces/" + first.index(),
            "give the entries different names, or the same device");
      }
    }
    GuestLink.Mode mode;
    Optional<String> device = Optional.empty();
    if (first.nodev()) {
      mode = GuestLink.Mode.ROUTED;
    } else {
      String dev = first.dev().orElseThrow();
      HostLinks.Kind kind =
          host.kind(dev)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          guest + "/interfaces/" + first.index() + ": host device '" + dev + "' does not exist",
                          "create it (e.g. 'ip link add " + dev + " type bridge'), or fix the entry's dev"));
      mode = kind == HostLinks.Kind.BRIDGE ? GuestLink.Mode.BRIDGED : GuestLink.Mode.MACVLAN;
      device = Optional.of(dev);
    }
    List<GuestLink.Address> addresses = new ArrayList<>();
    List<InetAddress> gateways = new ArrayList<>();
    OptionalInt mtu = OptionalInt.empty();
    Optional<String> mac = Optional.empty();
    for (Interface i : group) {
      // A routed address is the guest's alone: no on-link neighbours, so a host prefix.
      int prefix = mode == GuestLink.Mode.ROUTED ? hostPrefix(i.ip()) : i.prefix();
      addresses.add(new GuestLink.Address(i.ip(), prefix, i.index()));
      if (i.gateway().isPresent()) {
        InetAddress gw = i.gateway().get();
        // One default route per family: keyed by the family's any-address.
        InetAddress family = familyKey(gw);
        if (!gatewayFamilies.add(family)) {
          throw new InvalidInputException(
              guest + "/interfaces/" + i.index() + ": a second IPv" + (gw.getAddress().length == 4 ? 4 : 6)
                  + " gateway (" + IpLiteral.format(gw) + ")",
              "give the guest one default route per address family");
        }
        gateways.add(gw);
      }
      mtu = merge(guest, name, "mtu", mtu, i.mtu(), i);
      if (i.mac().isPresent()) {
        if (mac.isPresent() && !mac.equals(i.mac())) {
          throw conflicting(guest, name, "mac", i);
        }
        mac = i.mac();
      }
    }
    Optional<String> hostEnd =
        mode == GuestLink.Mode.MACVLAN
            ? Optional.empty()
            : Optional.of(HostLinkNames.of(layout, config.context(), position));
    return new GuestLink(mode, name, device, hostEnd, addresses, gateways, mtu, mac);
  }

  private static OptionalInt merge(
      String guest, String name, String what, OptionalInt so, OptionalInt next, Interface i)
      throws InvalidInputException {
    if (next.isEmpty()) {
      return so;
    }
    if (so.isPresent() && so.getAsInt() != next.getAsInt()) {
      throw conflicting(guest, name, what, i);
    }
    return next;
  }

  private static InvalidInputException conflicting(String guest, String name, String what, Interface i) {
    return new InvalidInputException(
        guest + "/interfaces/" + i.index() + ": link '" + name + "' is given two different " + what + " values",
        "write " + what + " into one entry of the link, or the same value into each");
  }

  private static String where(Interface i) {
    return i.nodev() ? "nodev" : "device '" + i.dev().orElse("") + "'";
  }

  private static int hostPrefix(InetAddress ip) {
    return ip.getAddress().length * 8;
  }

  private static InetAddress familyKey(InetAddress ip) {
    return IpLiteral.parse(ip.getAddress().length == 4 ? "0.0.0.0" : "::").orElseThrow();
  }
}
