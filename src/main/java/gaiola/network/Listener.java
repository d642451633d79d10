package gaiola.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A socket that serves a port: a listening TCP socket or an unconnected UDP one, read from the
 * kernel's {@code /proc/…/net/{tcp,tcp6,udp,udp6}} tables of one network namespace.
 *
 * @param inode the socket's inode, which {@code /proc/PID/fd} links name as {@code socket:[N]}
 */
public record Listener(String protocol, InetAddress address, int port, long inode) {
  /** TCP_LISTEN in the kernel's state numbering. */
  private static final String TCP_LISTEN = "0A";

  /** Listening on every address of the namespace: 0.0.0.0 or ::. */
  public boolean wildcard() {
    return address.isAnyLocalAddress();
  }

  /** The listeners of the namespace that {@code netDir} ({@code /proc/PID/net}) belongs to. */
  public static List<Listener> read(Path netDir) throws IOException {
    List<Listener> result = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      try {
        result.addAll(parse(table, Files.readString(netDir.resolve(table))));
      } catch (NoSuchFileException e) {
        // A kernel without IPv6 has no tcp6/udp6 table.
      }
    }
    return result;
  }

  /** Parses one table; {@code table} is its file name, which gives protocol and family. */
  static List<Listener> parse(String table, String text) {
    String protocol = table.startsWith("tcp") ? "tcp" : "udp";
    List<Listener> result = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split("\\s+");
      if (f.length < 10) {
        continue;
      }
      boolean serving =
          protocol.equals("tcp") ? f[3].equals(TCP_LISTEN) : f[2].matches("0+:0000");
      if (!serving) {
        continue;
      }
      int colon = f[1].indexOf(':');
      try {
        InetAddress address = address(f[1].substring(0, colon));
        int port = Integer.parseInt(f[1].substring(colon + 1), 16);
        result.add(new Listener(protocol, address, port, Long.parseLong(f[9])));
      } catch (RuntimeException | UnknownHostException e) {
        // A line the kernel did not write as documented is skipped, not fatal.
      }
    }
    return result;
  }

  /** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
  private static InetAddress address(String hex) throws UnknownHostException {
    byte[] raw = HexFormat.of().parseHex(hex);
    if (raw.length != 4 && raw.length != 16) {
      throw new IllegalArgumentException("address of " + raw.length + " bytes");
    }
    byte[] b = new byte[raw.length];
    for (int w = 0; w < raw.length; w += 4) {
      for (int k = 0; k < 4; k++) {
        b[w + k] = raw[w + 3 - k];
      }
    }
    return InetAddress.getByAddress(b);
  }
}
