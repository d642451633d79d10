package gaiola.network;

import gaiola.config.IpLiteral;
import gaiola.error.GaiolaException;
import gaiola.host.Command;
import gaiola.host.ProcessRunner;
import gaiola.host.Programs;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The host's links as sysfs shows them, and its addresses as {@code ip -o addr} lists them. */
public final class SystemHostLinks implements HostLinks {
  private static final Path SYS_NET = Path.of("/sys/class/net");

  private final ProcessRunner runner;

  public SystemHostLinks(ProcessRunner runner) {
    this.runner = runner;
  }

  @Override
  public Optional<Kind> kind(String device) {
    return deviceKind(device);
  }

  /** The kind of a host device, or empty when the host has none of that name. */
  public static Optional<Kind> deviceKind(String device) {
    if (device.contains("/") || device.equals(".") || device.equals("..")) {
      return Optional.empty();
    }
    Path dir = SYS_NET.resolve(device);
    if (!Files.exists(dir)) {
      return Optional.empty();
    }
    return Optional.of(Files.isDirectory(dir.resolve("bridge")) ? Kind.BRIDGE : Kind.OTHER);
  }

  /** Whether the host has a link of that name. */
  public static boolean exists(String name) {
    return Files.exists(SYS_NET.resolve(name));
  }

  @Override
  public Map<InetAddress, String> addresses() throws GaiolaException {
    String out =
        runner.run(Command.of(Programs.require("ip").toString(), "-o", "addr", "show")).stdout();
    return parseAddresses(out);
  }

  /** Lines such as {@code 2: eth0    inet 192.0.2.5/24 brd … scope global eth0\ …}. */
  static Map<InetAddress, String> parseAddresses(String ipOutput) {
    Map<InetAddress, String> result = new LinkedHashMap<>();
    for (String line : ipOutput.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !(f[2].equals("inet") || f[2].equals("inet6"))) {
        continue;
      }
      String dev = f[1];
      int at = dev.indexOf('@');
      String addr = f[3];
      int slash = addr.indexOf('/');
      IpLiteral.parse(slash < 0 ? addr : addr.substring(0, slash))
          .ifPresent(ip -> result.putIfAbsent(ip, at < 0 ? dev : dev.substring(0, at)));
    }
    return result;
  }
}
