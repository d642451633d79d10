package gaiola.network;

import gaiola.error.GaiolaException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/** What the planner and the clash check need to know about the host's own links. */
public interface HostLinks {
  /** What a host device is. */
  enum Kind {
    BRIDGE,
    OTHER
  }

  /** The device's kind, or empty when the host has no such device. */
  Optional<Kind> kind(String device);

  /** The addresses configured on the host, each with the device that holds it. */
  Map<InetAddress, String> addresses() throws GaiolaException;
}
