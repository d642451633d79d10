package gaiola.guest;

import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.GuestRegistry;
import gaiola.config.HostLayout;
import gaiola.config.Interface;
import gaiola.config.InterfaceSpec;
import gaiola.config.NetworkSettings;
import gaiola.error.InvalidInputException;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.ProcessRunner;
import gaiola.host.Rollback;
import gaiola.network.AddressClash;
import gaiola.network.GuestLink;
import gaiola.network.GuestNetwork;
import gaiola.network.HostLinkNames;
import gaiola.network.NameFiles;
import gaiola.network.NetworkPlan;
import gaiola.network.SystemHostLinks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The network part of a guest's start and stop: plan, checks, name files, links. */
final class GuestNet {
  private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
  private static final Path SYS_NET = Path.of("/sys/class/net");

  private final HostLayout layout;
  private final ProcessRunner runner;
  private final Reporter reporter;

  GuestNet(HostLayout layout, ProcessRunner runner, Reporter reporter) {
    this.layout = layout;
    this.runner = runner;
    this.reporter = reporter;
  }

  /**
   * The checks of a new interface list that need the host: each device exists, and a guest on the
   * host's stack has no interfaces.
   */
  static void checkDevices(GuestName name, List<Interface> interfaces, NetworkSettings network)
      throws InvalidInputException {
    List<Interface> enabled = interfaces.stream().filter(i -> !i.disabled()).toList();
    if (network.hostStack() && !enabled.isEmpty()) {
      throw new InvalidInputException(
          name + ": a guest on the host's network (--net host) cannot have interfaces",
          "leave out --net host, or the interfaces");
    }
    for (Interface i : enabled) {
      if (i.dev().isPresent() && !i.nodev() && SystemHostLinks.deviceKind(i.dev().get()).isEmpty()) {
        throw new InvalidInputException(
            name + ": interface " + InterfaceSpec.formatSpec(i) + ": host device '" + i.dev().get()
                + "' does not exist",
            "create it first (e.g. 'ip link add " + i.dev().get() + " type bridge'), or use nodev");
      }
    }
  }

  /**
   * Everything before the guest exists: plans the links, refuses addresses that the host or a
   * running guest holds, writes resolv.conf and the guest's hosts line.
   */
  List<GuestLink> prepare(GuestConfig config) throws GaiolaException {
    List<GuestLink> links = NetworkPlan.plan(config, layout, new SystemHostLinks(runner));
    if (!links.isEmpty()) {
      AddressClash.check(
          config.name().value(), links, new SystemHostLinks(runner).addresses(), runningOthers(config.name()));
    }
    NameFiles.writeResolvConf(config.vdir(), config.name().value(), config.network(), HOST_RESOLV_CONF);
    NameFiles.writeHosts(config.vdir(), config.uts().nodename(), config.uts().domainname(), links);
    return links;
  }

  void attach(List<GuestLink> links, long initPid, Rollback undo) throws GaiolaException {
    new GuestNetwork(runner).attach(links, initPid, undo);
  }

  /**
   * Removes host ends that outlived the guest. The kernel would remove them with the guest's
   * namespace, but in the background; removing them here means a stop returns with nothing left,
   * and a start after a crash finds its names free. The names come from the context id alone, so
   * this works whatever the configuration or the host's devices look like now.
   */
  void release(GuestConfig config) throws GaiolaException {
    new GuestNetwork(runner).detach(hostEnds(config));
  }

  /** The host's links named like this guest's host ends, whatever its interfaces say now. */
  private List<String> hostEnds(GuestConfig config) throws HostException {
    String stem = HostLinkNames.of(layout, config.context(), 0);
    String prefix = stem.substring(0, stem.length() - 1);
    try (var links = java.nio.file.Files.list(SYS_NET)) {
      return links
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.substring(prefix.length()).matches("[0-9]{1,2}"))
          .toList();
    } catch (IOException e) {
      throw new HostException("cannot list the host's network links: " + e.getMessage(), e);
    }
  }

  private List<GuestConfig> runningOthers(GuestName self) throws GaiolaException {
    GuestRegistry registry = new GuestRegistry(layout);
    List<GuestConfig> result = new ArrayList<>();
    for (GuestName other : registry.names()) {
      if (other.equals(self)) {
        continue;
      }
      try {
        Optional<RunRecord> rec = RunRecord.read(layout, other);
        if (rec.isPresent() && rec.get().initAlive()) {
          result.add(registry.load(other, reporter::note));
        }
      } catch (IOException | GaiolaException e) {
        reporter.note(other + ": not checked for address clashes: " + e.getMessage());
      }
    }
    return result;
  }
}
