package gaiola.guest;

import gaiola.build.BuildMethod;
import gaiola.config.ContextId;
import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.config.NetworkSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code vserver NAME build} was asked for. Absent values take util-vserver's defaults: the
 * next free context from 40000, the name as hostname, init style sysv, {@code /vservers/NAME}.
 *
 * @param interfaces {@code --interface} specs, {@code [NAME=][DEV:]IP[/PREFIX]}
 * @param network {@code --net host}, {@code --nameserver}, {@code --searchdomain}
 */
public record BuildRequest(
    GuestName name,
    BuildMethod method,
    Optional<ContextId> context,
    Optional<String> hostname,
    Optional<String> domainname,
    Optional<InitStyle> initStyle,
    List<String> interfaces,
    Optional<Path> vdir,
    NetworkSettings network) {
  public BuildRequest {
    interfaces = List.copyOf(interfaces);
    network = network == null ? NetworkSettings.PRIVATE : network;
  }

  /** A request for a guest with its own network stack and resolv.conf left as built. */
  public BuildRequest(
      GuestName name,
      BuildMethod method,
      Optional<ContextId> context,
      Optional<String> hostname,
      Optional<String> domainname,
      Optional<InitStyle> initStyle,
      List<String> interfaces,
      Optional<Path> vdir) {
    this(name, method, context, hostname, domainname, initStyle, interfaces, vdir, NetworkSettings.PRIVATE);
  }
}
