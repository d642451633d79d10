package gaiola.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One link as the kernel reports it ({@code ip -j addr show}).
 *
 * @param state the operational state: UP, DOWN, UNKNOWN (loopback), LOWERLAYERDOWN…
 * @param addresses {@code ADDRESS/PREFIX}, link-local ones included
 */
public record LinkState(String name, String state, int mtu, String mac, List<String> addresses) {
  public LinkState {
    addresses = List.copyOf(addresses);
  }

  /** Parses the JSON that {@code ip -j addr show} prints. */
  public static List<LinkState> parse(String json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    if (root == null || !root.isArray()) {
      throw new IOException("not a JSON array");
    }
    List<LinkState> result = new ArrayList<>();
    for (JsonNode link : root) {
      List<String> addresses = new ArrayList<>();
      for (JsonNode a : link.path("addr_info")) {
        if (a.has("local")) {
          addresses.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
        }
      }
      result.add(
          new LinkState(
              link.path("ifname").asText(),
              link.path("operstate").asText(),
              link.path("mtu").asInt(),
              link.path("address").asText(),
              addresses));
    }
    return result;
  }
}
