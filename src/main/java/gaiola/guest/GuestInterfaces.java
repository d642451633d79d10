package gaiola.guest;

import gaiola.config.GuestConfig;
import gaiola.config.HostLayout;
import gaiola.config.Interface;
import gaiola.config.InterfaceSpec;
import gaiola.config.IpLiteral;
import gaiola.config.VserverDirectory;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.error.NotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Adding and removing interface entries of a stopped guest ({@code vserver NAME interface …}). */
final class GuestInterfaces {
  private GuestInterfaces() {}

  /** Link options given beside the spec; each is checked as its file would be. */
  record LinkOptions(Optional<String> gateway, Optional<String> mtu, Optional<String> mac) {}

  static Interface add(HostLayout layout, GuestConfig config, String spec, LinkOptions options)
      throws GaiolaException {
    Interface parsed = InterfaceSpec.parseSpec(spec, nextIndex(config.interfaces()));
    String at = "interface " + spec;
    Optional<java.net.InetAddress> gw = Optional.empty();
    if (options.gateway().isPresent()) {
      gw = Optional.of(InterfaceSpec.gateway(options.gateway().get(), parsed.ip(), at + ": --gateway"));
    }
    OptionalInt mtu =
        options.mtu().isPresent()
            ? OptionalInt.of(InterfaceSpec.mtu(options.mtu().get(), parsed.ip(), at + ": --mtu"))
            : OptionalInt.empty();
    Optional<String> mac =
        options.mac().isPresent() ? Optional.of(InterfaceSpec.mac(options.mac().get(), at + ": --mac")) : Optional.empty();
    Interface added = parsed.withLinkOptions(gw, mtu, mac);
    List<Interface> all = new ArrayList<>(config.interfaces());
    all.add(added);
    InterfaceSpec.checkUnique(all);
    GuestNet.checkDevices(config.name(), all, config.network());
    write(layout, config.withInterfaces(all));
    return added;
  }

  /** Removes the entry whose index, guest-side name or address is {@code key}. */
  static Interface remove(HostLayout layout, GuestConfig config, String key) throws GaiolaException {
    List<Interface> matches =
        config.interfaces().stream()
            .filter(
                i ->
                    i.index().equals(key)
                        || i.name().map(key::equals).orElse(false)
                        || IpLiteral.format(i.ip()).equals(key))
            .toList();
    if (matches.isEmpty()) {
      throw new NotFoundException(
          config.name() + " has no interface '" + key + "'",
          "see 'gaiola vserver " + config.name() + " interface list'");
    }
    if (matches.size() > 1) {
      throw new InvalidInputException(
          config.name() + ": '" + key + "' names " + matches.size() + " interfaces",
          "give the index from 'gaiola vserver " + config.name() + " interface list' instead");
    }
    List<Interface> rest = new ArrayList<>(config.interfaces());
    rest.remove(matches.getFirst());
    write(layout, config.withInterfaces(rest));
    return matches.getFirst();
  }

  /** The smallest number not yet used as an entry name. */
  static String nextIndex(List<Interface> existing) {
    int n = 0;
    while (true) {
      String candidate = Integer.toString(n);
      if (existing.stream().noneMatch(i -> i.index().equals(candidate))) {
        return candidate;
      }
      n++;
    }
  }

  private static void write(HostLayout layout, GuestConfig config) throws HostException {
    try {
      VserverDirectory.write(layout.configDir(config.name()), config);
    } catch (IOException e) {
      throw new HostException("cannot write " + config.name() + "'s configuration: " + e.getMessage(), e);
    }
  }
}
