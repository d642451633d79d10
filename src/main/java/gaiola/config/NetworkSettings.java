package gaiola.config;

import gaiola.error.InvalidInputException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest-wide network settings beside its interfaces.
 *
 * @param hostStack the guest shares the host's network stack (util-vserver's {@code nonetns};
 *     {@code build --net host}): it is not isolated and has no interfaces of its own
 * @param nameservers addresses for the guest's {@code /etc/resolv.conf} ({@code nameserver})
 * @param inheritNameservers {@code nameserver} says {@code inherit}: copy the host's resolv.conf,
 *     as OpenVZ's {@code NAMESERVER=inherit}
 * @param searchDomains the {@code search} line of that file ({@code searchdomain})
 */
public record NetworkSettings(
    boolean hostStack,
    List<InetAddress> nameservers,
    boolean inheritNameservers,
    List<String> searchDomains) {
  /** A private stack, resolv.conf left as the guest has it. */
  public static final NetworkSettings PRIVATE = new NetworkSettings(false, List.of(), false, List.of());

  public NetworkSettings {
    nameservers = List.copyOf(nameservers);
    searchDomains = List.copyOf(searchDomains);
    if (inheritNameservers && !nameservers.isEmpty()) {
      throw new IllegalArgumentException("inherit and explicit name servers");
    }
  }

  /** Whether Gaiola writes the guest's {@code /etc/resolv.conf} at start. */
  public boolean managesResolvConf() {
    return inheritNameservers || !nameservers.isEmpty() || !searchDomains.isEmpty();
  }

  /**
   * The settings from the command line: {@code --net private|host}, {@code --nameserver IP|inherit}
   * (repeatable) and {@code --searchdomain DOMAIN} (repeatable).
   */
  public static NetworkSettings parse(String mode, List<String> servers, List<String> search)
      throws InvalidInputException {
    boolean host =
        switch (mode) {
          case "private" -> false;
          case "host" -> true;
          default ->
              throw new InvalidInputException(
                  "--net " + SettingFiles.quote(mode) + " is not a network mode",
                  "use --net private (the default) or --net host");
        };
    return of(host, servers, "--nameserver", search, "--searchdomain");
  }

  /**
   * Checked settings from name-server words (addresses or {@code inherit}) and search domains;
   * the labels name their source in messages.
   */
  static NetworkSettings of(
      boolean host, List<String> servers, String serversLabel, List<String> search, String searchLabel)
      throws InvalidInputException {
    List<InetAddress> addresses = new ArrayList<>();
    boolean inherit = false;
    for (String s : servers) {
      if (s.equals("inherit")) {
        inherit = true;
      } else {
        addresses.add(
            IpLiteral.parse(s)
                .orElseThrow(
                    () ->
                        new InvalidInputException(
                            serversLabel + ": " + SettingFiles.quote(s) + " is not an IP address",
                            "give name server addresses such as 192.0.2.53, or 'inherit'")));
      }
    }
    if (inherit && !addresses.isEmpty()) {
      throw new InvalidInputException(
          serversLabel + ": 'inherit' cannot be combined with addresses",
          "give either 'inherit' or addresses");
    }
    List<String> domains = new ArrayList<>();
    for (String d : search) {
      domains.add(Uts.checkHostname(searchLabel + ": domain", d));
    }
    return new NetworkSettings(host, addresses, inherit, domains);
  }

  public NetworkSettings withHostStack(boolean on) {
    return new NetworkSettings(on, nameservers, inheritNameservers, searchDomains);
  }
}
