package gaiola.network;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One network link a guest gets at start, planned from its interface entries.
 *
 * @param mode how the link reaches the host
 * @param guestName the link's name inside the guest
 * @param hostDevice the host's bridge or parent device; empty for {@link Mode#ROUTED}
 * @param hostEnd the host side of the veth pair; empty for {@link Mode#MACVLAN}, which has none
 * @param addresses the guest's addresses on this link
 * @param gateways default routes through this link (at most one per address family)
 */
public record GuestLink(
    Mode mode,
    String guestName,
    Optional<String> hostDevice,
    Optional<String> hostEnd,
    List<Address> addresses,
    List<InetAddress> gateways,
    OptionalInt mtu,
    Optional<String> mac) {
  public GuestLink {
    addresses = List.copyOf(addresses);
    gateways = List.copyOf(gateways);
  }

  /** How a link is made, chosen by what its device is on the host. */
  public enum Mode {
    /** A veth pair whose host end joins a Linux bridge. */
    BRIDGED("bridge"),
    /** A macvlan child (bridge mode) of a host link, moved into the guest: its own MAC on that LAN. */
    MACVLAN("macvlan"),
    /** {@code nodev}: a veth pair to the host, the guest's addresses routed to it as /32 or /128. */
    ROUTED("routed");

    private final String label;

    Mode(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One address of the link.
   *
   * @param entry the {@code interfaces/N} entry it comes from
   */
  public record Address(InetAddress ip, int prefix, String entry) {}
}
