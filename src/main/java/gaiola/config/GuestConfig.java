package gaiola.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code /etc/vservers/NAME/} says about a guest, validated.
 *
 * @param vdir the guest's root tree (the target of the {@code vdir} link)
 */
public record GuestConfig(
    GuestName name,
    ContextId context,
    Path vdir,
    Uts uts,
    InitConfig init,
    List<FstabEntry> fstab,
    List<Interface> interfaces,
    List<CapabilityChange> bcapabilities) {
  public GuestConfig {
    fstab = List.copyOf(fstab);
    interfaces = List.copyOf(interfaces);
    bcapabilities = List.copyOf(bcapabilities);
  }
}
