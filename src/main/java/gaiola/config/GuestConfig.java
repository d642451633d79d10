package gaiola.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code /etc/vservers/NAME/} says about a guest, validated.
 *
 * @param vdir the guest's root tree (the target of the {@code vdir} link)
 * @param network host or private stack, name servers
 */
public record GuestConfig(
    GuestName name,
    ContextId context,
    Path vdir,
    Uts uts,
    InitConfig init,
    List<FstabEntry> fstab,
    List<Interface> interfaces,
    List<CapabilityChange> bcapabilities,
    NetworkSettings network) {
  public GuestConfig {
    fstab = List.copyOf(fstab);
    interfaces = List.copyOf(interfaces);
    bcapabilities = List.copyOf(bcapabilities);
    network = network == null ? NetworkSettings.PRIVATE : network;
  }

  /** A guest with a private network stack and resolv.conf left alone. */
  public GuestConfig(
      GuestName name,
      ContextId context,
      Path vdir,
      Uts uts,
      InitConfig init,
      List<FstabEntry> fstab,
      List<Interface> interfaces,
      List<CapabilityChange> bcapabilities) {
    this(name, context, vdir, uts, init, fstab, interfaces, bcapabilities, NetworkSettings.PRIVATE);
  }

  public GuestConfig withInterfaces(List<Interface> replacement) {
    return new GuestConfig(name, context, vdir, uts, init, fstab, replacement, bcapabilities, network);
  }

  public GuestConfig withNetwork(NetworkSettings replacement) {
    return new GuestConfig(name, context, vdir, uts, init, fstab, interfaces, bcapabilities, replacement);
  }
}
