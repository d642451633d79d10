package gaiola.cli;

import gaiola.config.IpLiteral;
import gaiola.guest.NetworkView;
import gaiola.network.GuestLink;
import gaiola.network.LinkState;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vserver NAME net}: the guest's links, their host-side peers, addresses and state. */
@Command(
    name = "net",
    mixinStandardHelpOptions = true,
    description = "Show the guest's network: its links, host-side peers, addresses and state.")
final class NetVerb extends GuestVerb {
  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  NetVerb(CliContext context) {
    super(context);
  }

  /** One planned link in JSON, with its state when the guest runs. */
  record LinkJson(
      String name, String mode, String hostDevice, String hostEnd, String hostEndState,
      List<String> addresses, List<String> gateways, String state, List<String> kernelAddresses) {}

  /** The whole view in JSON. */
  record Json(
      String name, boolean running, String stack, String problem, List<LinkJson> links,
      List<LinkState> inside) {}

  @Override
  public Integer call() throws Exception {
    NetworkView v = guests().network(name());
    boolean host = v.config().network().hostStack();
    if (json) {
      List<LinkJson> links =
          v.links().stream()
              .map(
                  l -> {
                    LinkState in = inside(v.inside(), l.guestName());
                    return new LinkJson(
                        l.guestName(), l.mode().label(), l.hostDevice().orElse(null), l.hostEnd().orElse(null),
                        l.hostEnd().map(v.hostEnds()::get).orElse(null), addresses(l),
                        l.gateways().stream().map(IpLiteral::format).toList(),
                        in == null ? null : in.state(), in == null ? null : in.addresses());
                  })
              .toList();
      context.printJson(
          new Json(
              v.config().name().value(), v.running(), host ? "host" : "private",
              v.planProblem().orElse(null), links, v.inside()));
      return 0;
    }
    var out = context.out();
    if (host) {
      out.println(v.config().name() + " shares the host's network stack (nonetns): not isolated");
      return 0;
    }
    v.planProblem().ifPresent(p -> out.println("cannot plan the links now: " + p));
    if (v.links().isEmpty() && v.planProblem().isEmpty()) {
      out.println(v.config().name() + " has no interfaces: loopback only");
    }
    out.printf("%-15s %-8s %-12s %-14s %-8s %s%n", "LINK", "MODE", "HOST DEV", "HOST END", "STATE", "ADDRESSES");
    for (GuestLink l : v.links()) {
      LinkState in = inside(v.inside(), l.guestName());
      String state = !v.running() ? "stopped" : in == null ? "missing" : in.state().toLowerCase(java.util.Locale.ROOT);
      String end = l.hostEnd().map(e -> v.running() ? e + "(" + v.hostEnds().get(e) + ")" : e).orElse("-");
      out.printf(
          "%-15s %-8s %-12s %-14s %-8s %s%n", l.guestName(), l.mode().label(), l.hostDevice().orElse("-"),
          end, state, String.join(" ", addresses(l)));
    }
    if (v.running()) {
      out.println();
      out.println("inside the guest:");
      for (LinkState s : v.inside()) {
        out.printf("  %-15s %-8s mtu %-6d %s%n", s.name(), s.state(), s.mtu(), String.join(" ", s.addresses()));
      }
    }
    return 0;
  }

  private static List<String> addresses(GuestLink l) {
    return l.addresses().stream().map(a -> IpLiteral.format(a.ip()) + "/" + a.prefix()).toList();
  }

  private static LinkState inside(List<LinkState> inside, String name) {
    return inside.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }
}
