package gaiola.cli;

import gaiola.build.BuildMethod;
import gaiola.config.ContextId;
import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.config.NetworkSettings;
import gaiola.error.GaiolaException;
import gaiola.guest.BuildRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What a new guest is given besides its tree: the options of {@code build} and {@code vserver-new}. */
final class GuestSettings {
  @Option(names = "--context", paramLabel = "XID", description = "Context id, 2..49151 (default: the next free from 40000).")
  String contextId;

  @Option(names = "--hostname", paramLabel = "NAME", description = "Host name inside (default: the guest's name).")
  String hostname;

  @Option(names = "--domainname", paramLabel = "NAME", description = "NIS/DNS domain name inside.")
  String domainname;

  @Option(names = "--initstyle", paramLabel = "STYLE", description = "sysv (default; a clone keeps its source's), plain, gentoo, arch or minit.")
  String initStyle;

  @Option(names = "--interface", paramLabel = "[NAME=][DEV:]IP/PREFIX", description = "An address the guest owns (repeatable).")
  List<String> interfaces = new ArrayList<>();

  @Option(names = "--net", paramLabel = "MODE", description = "private (default: own network namespace) or host (share the host's stack, not isolated).")
  String net = "private";

  @Option(names = "--nameserver", paramLabel = "IP|inherit", description = "Name server for the guest's /etc/resolv.conf (repeatable), or 'inherit' the host's.")
  List<String> nameservers = new ArrayList<>();

  @Option(names = "--searchdomain", paramLabel = "DOMAIN", description = "Search domain for the guest's /etc/resolv.conf (repeatable).")
  List<String> searchDomains = new ArrayList<>();

  @Option(names = "--rootdir", paramLabel = "DIR", description = "The root tree (default: /vservers/NAME).")
  Path rootdir;

  /** The request to build guest {@code name} with {@code method}; malformed values are refused here. */
  BuildRequest request(GuestName name, BuildMethod method) throws GaiolaException {
    return new BuildRequest(
        name,
        method,
        contextId == null ? Optional.empty() : Optional.of(ContextId.parse(contextId)),
        Optional.ofNullable(hostname),
        Optional.ofNullable(domainname),
        initStyle == null ? Optional.empty() : Optional.of(InitStyle.parse(initStyle)),
        interfaces,
        Optional.ofNullable(rootdir),
        NetworkSettings.parse(net, nameservers, searchDomains));
  }
}
