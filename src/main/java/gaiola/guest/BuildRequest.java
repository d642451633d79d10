package gaiola.guest;

import gaiola.build.BuildMethod;
import gaiola.config.ContextId;
import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code vserver NAME build} was asked for. Absent values take util-vserver's defaults: the
 * next free context from 40000, the name as hostname, init style sysv, {@code /vservers/NAME}.
 *
 * @param interfaces {@code --interface} specs, {@code [NAME=][DEV:]IP[/PREFIX]}
 */
public record BuildRequest(
    GuestName name,
    BuildMethod method,
    Optional<ContextId> context,
    Optional<String> hostname,
    Optional<String> domainname,
    Optional<InitStyle> initStyle,
    List<String> interfaces,
    Optional<Path> vdir) {
  public BuildRequest {
    interfaces = List.copyOf(interfaces);
  }
}
