package gaiola.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One {@code interfaces/N/} entry: an address the guest owns. Stored and validated now; networking
 * brings it to life.
 *
 * @param index the directory name N under {@code interfaces/}
 * @param name the interface name inside the guest ({@code name})
 * @param dev the host device ({@code dev}); empty with {@code nodev}
 * @param prefix the prefix length ({@code prefix}, or derived from {@code mask})
 */
public record Interface(
    String index,
    Optional<String> name,
    Optional<String> dev,
    InetAddress ip,
    int prefix,
    boolean nodev,
    boolean disabled) {
  public Interface {
    name = name == null ? Optional.empty() : name;
    dev = dev == null ? Optional.empty() : dev;
    int max = ip.getAddress().length * 8;
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefix out of range: " + prefix);
    }
  }
}
