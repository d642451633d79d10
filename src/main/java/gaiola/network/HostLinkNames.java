package gaiola.network;

import gaiola.config.ContextId;
import gaiola.config.HostLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Names of the host ends of a guest's veth pairs: derived from the context id, which is unique on a
 * host, so two guests never collide; at most 15 characters, Linux's limit. A private Gaiola root
 * (tests, trials) adds a tag of its own so its guests never take the names of the host's guests.
 */
public final class HostLinkNames {
  /** The prefix every host end of the system root starts with. */
  public static final String SYSTEM_PREFIX = "gai";

  private HostLinkNames() {}

  /** The host end of the guest's {@code position}-th link (0-based, at most 99). */
  public static String of(HostLayout layout, ContextId context, int position) {
    if (position < 0 || position > 99) {
      throw new IllegalArgumentException("link position out of range: " + position);
    }
    return prefix(layout) + context.value() + "-" + position;
  }

  /** {@code gai} on the system root; {@code g} and three hex digits of the root's path otherwise. */
  public static String prefix(HostLayout layout) {
    if (layout.equals(HostLayout.SYSTEM)) {
      return SYSTEM_PREFIX;
    }
    int h = Arrays.hashCode(layout.root().toString().getBytes(StandardCharsets.UTF_8));
    // 'g' and three hex digits never spell "gai", since 'i' is not a hex digit.
    return "g" + String.format("%03x", h & 0xfff);
  }
}
