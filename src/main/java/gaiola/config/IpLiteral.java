package gaiola.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IP address literals, parsed strictly and never resolved: text that is not an IPv4 dotted quad
 * (without leading zeros, as {@code inet_pton} wants it) or an IPv6 literal (no zone, not
 * IPv4-mapped) is not an address, so no DNS lookup ever happens.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /** The address in {@code text} if it is an IPv4 dotted quad or an IPv6 literal, else empty. */
  public static Optional<InetAddress> parse(String text) {
    byte[] v4 = ipv4(text);
    if (v4 != null) {
      return Optional.of(byAddress(v4));
    }
    if (!isIpv6(text)) {
      return Optional.empty();
    }
    try {
      // Safe: the text is a checked literal, so this never resolves a host name.
      InetAddress a = InetAddress.getByName(text);
      return a instanceof Inet6Address ? Optional.of(a) : Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** {@code ip} as {@code ip(8)} prints it: a dotted quad, or RFC 5952 compressed IPv6. */
  public static String format(InetAddress ip) {
    if (ip instanceof Inet4Address) {
      return ip.getHostAddress();
    }
    byte[] b = ip.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(g[i]));
    }
    return s.toString();
  }

  /** A strict dotted quad (no leading zeros, as inet_pton), or null. */
  static byte[] ipv4(String text) {
    if (!text.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")) {
      return null;
    }
    String[] parts = text.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }

  /** Strict IPv6 literal: hex groups, at most one '::', optional dotted-quad tail, no zone. */
  private static boolean isIpv6(String text) {
    if (!text.matches("[0-9A-Fa-f:.]{2,45}") || !text.contains(":")) {
      return false;
    }
    int dc = text.indexOf("::");
    if (dc >= 0 && text.indexOf("::", dc + 1) >= 0) {
      return false;
    }
    List<String> groups = new ArrayList<>();
    for (String side :
        dc >= 0
            ? new String[] {text.substring(0, dc), text.substring(dc + 2)}
            : new String[] {text}) {
      if (!side.isEmpty()) {
        groups.addAll(List.of(side.split(":", -1)));
      }
    }
    int count = 0;
    for (int i = 0; i < groups.size(); i++) {
      String g = groups.get(i);
      if (i == groups.size() - 1 && g.contains(".")) {
        if (ipv4(g) == null) {
          return false;
        }
        count += 2;
      } else if (g.matches("[0-9A-Fa-f]{1,4}")) {
        count++;
      } else {
        return false;
      }
    }
    return dc >= 0 ? count <= 7 : count == 8;
  }

  private static InetAddress byAddress(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
