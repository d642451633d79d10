package gaiola.network;

import gaiola.config.GuestConfig;
import gaiola.config.Interface;
import gaiola.config.IpLiteral;
import gaiola.error.ConflictException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** The start-time check that no address of a guest is already held by the host or a running guest. */
public final class AddressClash {
  private AddressClash() {}

  /**
   * Refuses the first address of {@code links} that the host holds ({@code hostAddresses}) or that
   * one of {@code runningGuests} (other than the guest itself) is configured with.
   */
  public static void check(
      String guest,
      List<GuestLink> links,
      Map<InetAddress, String> hostAddresses,
      List<GuestConfig> runningGuests)
      throws ConflictException {
    for (GuestLink link : links) {
      for (GuestLink.Address a : link.addresses()) {
        String ip = IpLiteral.format(a.ip());
        String dev = hostAddresses.get(a.ip());
        if (dev != null) {
          throw new ConflictException(
              guest + ": address " + ip + " (interfaces/" + a.entry() + ") is held by the host on " + dev,
              "give the guest another address, or remove it from the host with 'ip addr del " + ip
                  + "/PREFIX dev " + dev + "'");
        }
        for (GuestConfig other : runningGuests) {
          if (other.name().value().equals(guest)) {
            continue;
          }
          for (Interface i : other.interfaces()) {
            if (!i.disabled() && i.ip().equals(a.ip())) {
              throw new ConflictException(
                  guest + ": address " + ip + " (interfaces/" + a.entry() + ") is held by running guest '"
                      + other.name() + "'",
                  "give the guest another address, or stop '" + other.name() + "' first");
            }
          }
        }
      }
    }
  }
}
