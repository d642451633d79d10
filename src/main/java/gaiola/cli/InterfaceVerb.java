package gaiola.cli;

import gaiola.config.GuestName;
import gaiola.config.Interface;
import gaiola.config.InterfaceSpec;
import gaiola.config.IpLiteral;
import gaiola.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vserver NAME interface add SPEC [--gateway IP] [--mtu N] [--mac MAC] | list [--json] |
 * remove INDEX|NAME|IP}: the guest's {@code interfaces/N} entries, changed while it is stopped.
 */
@Command(
    name = "interface",
    mixinStandardHelpOptions = true,
    description = {
      "List, add or remove the guest's interfaces (add and remove while it is stopped).",
      "  interface list [--json]",
      "  interface add [NAME=][DEV:]IP/PREFIX [--gateway IP] [--mtu N] [--mac MAC]",
      "  interface remove INDEX|NAME|IP"
    })
final class InterfaceVerb extends GuestVerb {
  @Parameters(index = "0", paramLabel = "ACTION", description = "list, add or remove.")
  String action;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "The spec to add, or the entry to remove.")
  List<String> args = new ArrayList<>();

  @Option(names = "--gateway", paramLabel = "IP", description = "Default route through this interface.")
  String gateway;

  @Option(names = "--mtu", paramLabel = "N", description = "The link's MTU.")
  String mtu;

  @Option(names = "--mac", paramLabel = "MAC", description = "The guest side's MAC address.")
  String mac;

  @Option(names = "--json", description = "Print JSON (list).")
  boolean json;

  InterfaceVerb(CliContext context) {
    super(context);
  }

  /** One entry in JSON. */
  record Json(
      String index, String name, String dev, boolean nodev, String ip, int prefix, String gateway,
      Integer mtu, String mac, boolean disabled) {
    static Json of(Interface i) {
      return new Json(
          i.index(), i.name().orElse(null), i.dev().orElse(null), i.nodev(), IpLiteral.format(i.ip()),
          i.prefix(), i.gateway().map(IpLiteral::format).orElse(null),
          i.mtu().isPresent() ? i.mtu().getAsInt() : null, i.mac().orElse(null), i.disabled());
    }
  }

  @Override
  public Integer call() throws Exception {
    GuestName name = name();
    switch (action) {
      case "list" -> {
        expectArgs(0, "interface list");
        list(name);
      }
      case "add" -> {
        expectArgs(1, "interface add [NAME=][DEV:]IP/PREFIX");
        Interface added =
            guests().addInterface(
                name, args.getFirst(), Optional.ofNullable(gateway), Optional.ofNullable(mtu), Optional.ofNullable(mac));
        context.out().println("added interface " + added.index() + ": " + InterfaceSpec.formatSpec(added));
      }
      case "remove" -> {
        expectArgs(1, "interface remove INDEX|NAME|IP");
        Interface removed = guests().removeInterface(name, args.getFirst());
        context.out().println("removed interface " + removed.index() + ": " + InterfaceSpec.formatSpec(removed));
      }
      default ->
          throw new InvalidInputException(
              "interface: unknown action '" + action + "'", "use list, add or remove");
    }
    return 0;
  }

  private void list(GuestName name) throws Exception {
    List<Interface> all = guests().config(name).interfaces();
    if (json) {
      context.printJson(all.stream().map(Json::of).toList());
      return;
    }
    context.out().printf("%-6s %-15s %s%n", "INDEX", "NAME", "SPEC");
    for (Interface i : all) {
      StringBuilder extra = new StringBuilder();
      i.gateway().ifPresent(g -> extra.append(" gateway ").append(IpLiteral.format(g)));
      if (i.mtu().isPresent()) {
        extra.append(" mtu ").append(i.mtu().getAsInt());
      }
      i.mac().ifPresent(m -> extra.append(" mac ").append(m));
      if (i.disabled()) {
        extra.append(" (disabled)");
      }
      context.out().printf(
          "%-6s %-15s %s%s%n", i.index(), i.name().orElse("-"), InterfaceSpec.formatSpec(i), extra);
    }
  }

  private void expectArgs(int n, String usage) throws InvalidInputException {
    if (args.size() != n) {
      throw new InvalidInputException(
          "interface " + action + ": expected " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size(),
          "usage: gaiola vserver " + guest + " " + usage);
    }
  }
}
