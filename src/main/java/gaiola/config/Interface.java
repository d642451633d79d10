package gaiola.config;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code interfaces/N/} entry: an address the guest owns, and how it reaches the guest.
 *
 * @param index the directory name N under {@code interfaces/}
 * @param name the interface name inside the guest ({@code name}); entries with the same name, or
 *     without a name on the same device, share one link
 * @param dev the host device ({@code dev}): a bridge or another link; empty with {@code nodev}
 * @param prefix the prefix length ({@code prefix}, or derived from {@code mask})
 * @param nodev the address is routed to the guest over its own veth pair ({@code nodev})
 * @param gateway the guest's default route through this interface ({@code gateway})
 * @param mtu the link's MTU ({@code mtu})
 * @param mac the guest side's MAC address ({@code mac}), lower case
 */
public record Interface(
    String index,
    Optional<String> name,
    Optional<String> dev,
    InetAddress ip,
    int prefix,
    boolean nodev,
    boolean disabled,
    Optional<InetAddress> gateway,
    OptionalInt mtu,
    Optional<String> mac) {
  /** The smallest MTU Linux accepts for IPv4, and IPv6's minimum. */
  public static final int MIN_MTU = 68;

  public static final int MIN_MTU_IPV6 = 1280;

  public Interface {
    name = name == null ? Optional.empty() : name;
    dev = dev == null ? Optional.empty() : dev;
    gateway = gateway == null ? Optional.empty() : gateway;
    mtu = mtu == null ? OptionalInt.empty() : mtu;
    mac = mac == null ? Optional.empty() : mac.map(m -> m.toLowerCase(java.util.Locale.ROOT));
    int max = ip.getAddress().length * 8;
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefix out of range: " + prefix);
    }
    if (gateway.isPresent() && gateway.get().getClass() != ip.getClass()) {
      throw new IllegalArgumentException("gateway of another address family");
    }
    if (mtu.isPresent() && (mtu.getAsInt() < MIN_MTU || mtu.getAsInt() > 65535)) {
      throw new IllegalArgumentException("mtu out of range: " + mtu.getAsInt());
    }
    if (mac.isPresent() && !isUnicastMac(mac.get())) {
      throw new IllegalArgumentException("not a unicast MAC address: " + mac.get());
    }
  }

  /** An entry without gateway, MTU or MAC. */
  public Interface(
      String index,
      Optional<String> name,
      Optional<String> dev,
      InetAddress ip,
      int prefix,
      boolean nodev,
      boolean disabled) {
    this(index, name, dev, ip, prefix, nodev, disabled, Optional.empty(), OptionalInt.empty(), Optional.empty());
  }

  public Interface withLinkOptions(Optional<InetAddress> gw, OptionalInt newMtu, Optional<String> newMac) {
    return new Interface(index, name, dev, ip, prefix, nodev, disabled, gw, newMtu, newMac);
  }

  public Interface withIndex(String newIndex) {
    return new Interface(newIndex, name, dev, ip, prefix, nodev, disabled, gateway, mtu, mac);
  }

  /** Six colon-separated hex octets with the multicast bit clear and not all zero. */
  public static boolean isUnicastMac(String text) {
    if (!text.matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")) {
      return false;
    }
    byte[] b = HexFormat.ofDelimiter(":").parseHex(text);
    boolean zero = true;
    for (byte x : b) {
      zero &= x == 0;
    }
    return (b[0] & 1) == 0 && !zero;
  }
}
