package gaiola.config;

import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The two spellings of a guest's interfaces: util-vserver's directory form {@code interfaces/N/}
 * and the command-line form {@code --interface [NAME=][DEV:]IP[/PREFIX|/MASK]}.
 *
 * <p>Rules, following util-vserver's {@code vserver.functions}: every subdirectory of {@code
 * interfaces/} except {@code lback} is an entry, taken in numeric order of its name (names that are
 * not numbers after those, alphabetically). An entry needs {@code ip}, and {@code dev} or {@code
 * nodev}; {@code interfaces/dev}, {@code interfaces/prefix} and {@code interfaces/mask} are
 * defaults for all entries (an entry's own file wins). The prefix comes from {@code prefix}, else
 * from {@code mask}; with neither, util-vserver adds the address without a prefix, which {@code ip}
 * takes as a host address, so it is /32 (IPv4) or /128 (IPv6). An entry with {@code disabled} is
 * kept when it is well-formed and skipped with a note when it is not, since util-vserver never
 * reads it. Addresses are parsed as literals only: nothing here ever asks DNS.
 */
public final class InterfaceSpec {
  private static final Set<String> ENTRY_IGNORED =
      Set.of(
          ("scope bcast vlandev novlandev tun tap nocsum shared uid gid linktype peer"
                  + " extip indirect down")
              .split(" "));
  private static final Set<String> ENTRY_READ =
      Set.of(
          "ip", "prefix", "mask", "dev", "name", "nodev", "disabled", "only_ip", "gateway", "gw",
          "mtu", "mac");
  private static final Set<String> DEFAULTS_IGNORED =
      Set.of("bcast", "lback", "scope", "vlandev", "novlandev");

  /** Numbers in numeric order first, then other names alphabetically. */
  private static final Comparator<String> ENTRY_ORDER =
      Comparator.comparing((String s) -> !s.matches("[0-9]+"))
          .thenComparing(s -> s.matches("[0-9]+") ? s.replaceFirst("^0+(?=.)", "").length() : 0)
          .thenComparing(s -> s.matches("[0-9]+") ? s.replaceFirst("^0+(?=.)", "") : s)
          .thenComparing(Comparator.naturalOrder());

  private InterfaceSpec() {}

  /**
   * Reads {@code interfaces/}; {@code label} names it in messages, e.g. {@code vs01/interfaces}.
   */
  public static List<Interface> read(Path interfacesDir, String label, Consumer<String> notes)
      throws InvalidInputException {
    if (!Files.exists(interfacesDir)) {
      return List.of();
    }
    if (!Files.isDirectory(interfacesDir)) {
      throw new InvalidInputException(
          label + ": is a file, not a directory",
          "make interfaces/ a directory with one subdirectory per address");
    }
    String notePrefix = interfacesDir.getFileName() + "/";
    Defaults defaults =
        new Defaults(
            value(interfacesDir.resolve("dev"), label + "/dev", notePrefix + "dev", notes),
            value(interfacesDir.resolve("prefix"), label + "/prefix", notePrefix + "prefix", notes),
            value(interfacesDir.resolve("mask"), label + "/mask", notePrefix + "mask", notes));
    List<String> entries = new ArrayList<>();
    for (Path child : SettingFiles.list(interfacesDir, label)) {
      String n = child.getFileName().toString();
      if (Files.isDirectory(child) && !n.equals("lback")) {
        entries.add(n);
      } else if (DEFAULTS_IGNORED.contains(n)) {
        notes.accept(notePrefix + n + ": ignored (util-vserver setting Gaiola does not apply)");
      } else if (!Set.of("dev", "prefix", "mask").contains(n)) {
        notes.accept(notePrefix + n + ": ignored (not a util-vserver setting Gaiola knows)");
      }
    }
    entries.sort(ENTRY_ORDER);
    List<Interface> result = new ArrayList<>();
    for (String n : entries) {
      readEntry(interfacesDir.resolve(n), n, label + "/" + n, notePrefix + n, defaults, notes)
          .ifPresent(result::add);
    }
    try {
      return checkUnique(result);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(label + ": " + e.getMessage(), e.hint().orElse(null));
    }
  }

  private record Defaults(Optional<String> dev, Optional<String> prefix, Optional<String> mask) {}

  private static Optional<Interface> readEntry(
      Path dir, String index, String at, String noteName, Defaults defaults, Consumer<String> notes)
      throws InvalidInputException {
    boolean disabled = SettingFiles.flag(dir.resolve("disabled"));
    try {
      for (Path f : SettingFiles.list(dir, at)) {
        String n = f.getFileName().toString();
        if (ENTRY_IGNORED.contains(n)) {
          notes.accept(
              noteName + "/" + n + ": ignored (util-vserver setting Gaiola does not apply)");
        } else if (!ENTRY_READ.contains(n)) {
          notes.accept(noteName + "/" + n + ": ignored (not a util-vserver setting Gaiola knows)");
        }
      }
      String ipText =
          value(dir.resolve("ip"), at + "/ip", noteName + "/ip", notes)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          at + "/ip: is missing",
                          "write the guest's address into it, or create 'disabled'"));
      InetAddress ip = address(ipText, at + "/ip");
      Optional<String> dev = value(dir.resolve("dev"), at + "/dev", noteName + "/dev", notes);
      String devAt = dev.isPresent() ? at + "/dev" : at.substring(0, at.lastIndexOf('/')) + "/dev";
      dev = dev.or(defaults::dev);
      if (dev.isPresent()) {
        checkIfName(dev.get(), devAt + ": device");
      }
      Optional<String> name = value(dir.resolve("name"), at + "/name", noteName + "/name", notes);
      if (name.isPresent()) {
        checkIfName(name.get(), at + "/name: name");
      }
      boolean nodev =
          SettingFiles.flag(dir.resolve("nodev")) || SettingFiles.flag(dir.resolve("only_ip"));
      if (dev.isEmpty() && !nodev) {
        throw new InvalidInputException(
            at + ": has neither 'dev' nor 'nodev'",
            "write the host device into "
                + at
                + "/dev (e.g. eth0), or create an empty file 'nodev'");
      }
      int prefix = entryPrefix(dir, at, noteName, ip, defaults, notes);
      String gwFile = "gateway";
      Optional<String> gwText =
          value(dir.resolve("gateway"), at + "/gateway", noteName + "/gateway", notes);
      if (gwText.isEmpty()) {
        // util-vserver's own spelling of the same setting.
        gwFile = "gw";
        gwText = value(dir.resolve("gw"), at + "/gw", noteName + "/gw", notes);
      }
      Optional<InetAddress> gateway =
          gwText.isPresent() ? Optional.of(gateway(gwText.get(), ip, at + "/" + gwFile)) : Optional.empty();
      Optional<String> mtuText = value(dir.resolve("mtu"), at + "/mtu", noteName + "/mtu", notes);
      OptionalInt mtu =
          mtuText.isPresent() ? OptionalInt.of(mtu(mtuText.get(), ip, at + "/mtu")) : OptionalInt.empty();
      Optional<String> mac = value(dir.resolve("mac"), at + "/mac", noteName + "/mac", notes);
      if (mac.isPresent()) {
        mac(mac.get(), at + "/mac");
      }
      return Optional.of(
          new Interface(index, name, dev, ip, prefix, nodev, disabled, gateway, mtu, mac));
    } catch (InvalidInputException e) {
      if (!disabled) {
        throw e;
      }
      notes.accept(noteName + ": ignored (disabled, and not loadable: " + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  private static int entryPrefix(
      Path dir,
      String at,
      String noteName,
      InetAddress ip,
      Defaults defaults,
      Consumer<String> notes)
      throws InvalidInputException {
    String parent = at.substring(0, at.lastIndexOf('/'));
    Optional<String> prefix =
        value(dir.resolve("prefix"), at + "/prefix", noteName + "/prefix", notes);
    if (prefix.isPresent()) {
      return prefix(prefix.get(), ip, at + "/prefix");
    }
    Optional<String> mask = value(dir.resolve("mask"), at + "/mask", noteName + "/mask", notes);
    if (mask.isPresent()) {
      return mask(mask.get(), ip, at + "/mask");
    }
    if (defaults.prefix().isPresent()) {
      return prefix(defaults.prefix().get(), ip, parent + "/prefix");
    }
    if (defaults.mask().isPresent()) {
      return mask(defaults.mask().get(), ip, parent + "/mask");
    }
    return maxPrefix(ip);
  }

  /**
   * Parses {@code [NAME=][DEV:]IP[/PREFIX|/MASK]} or {@code [NAME=]nodev:IP[/…]}. Without a device
   * the address is {@code nodev}, as util-vserver's {@code vserver-setup.functions} makes it. With
   * a device a prefix or mask is required (util-vserver would add a lone /32 without an on-link
   * route). An IPv6 address may be written in brackets, {@code eth0:[2001:db8::5]/64}; without
   * brackets, text before {@code /} that is an IPv6 literal as a whole is the address, not {@code
   * DEV:IP}.
   *
   * @param index the entry's directory name under {@code interfaces/}
   */
  public static Interface parseSpec(String spec, String index) throws InvalidInputException {
    checkIndex(index);
    String at = "interface " + SettingFiles.quote(spec);
    String rest = spec.strip();
    Optional<String> name = Optional.empty();
    int eq = rest.indexOf('=');
    if (eq >= 0) {
      name = Optional.of(rest.substring(0, eq));
      checkIfName(name.get(), at + ": name");
      rest = rest.substring(eq + 1);
    }
    String suffix = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      suffix = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }
    String dev = null;
    int colon = rest.indexOf(':');
    if (IpLiteral.parse(rest).isEmpty() && colon >= 0) {
      dev = rest.substring(0, colon);
      rest = rest.substring(colon + 1);
    }
    boolean nodev = dev == null || dev.equals("nodev");
    if (dev != null && !nodev) {
      checkIfName(dev, at + ": device");
    }
    boolean bracketed = rest.startsWith("[") && rest.endsWith("]");
    if (bracketed) {
      rest = rest.substring(1, rest.length() - 1);
    }
    InetAddress ip = address(rest, at);
    if (bracketed && !(ip instanceof Inet6Address)) {
      throw new InvalidInputException(
          at + ": brackets around IPv4 address " + rest,
          "write brackets only around an IPv6 address");
    }
    int prefix;
    if (suffix == null) {
      if (!nodev) {
        throw new InvalidInputException(
            at + ": gives device '" + dev + "' but no prefix or mask",
            "write it as " + dev + ":" + rest + "/24 (or /MASK such as /255.255.255.0)");
      }
      prefix = maxPrefix(ip);
    } else if (suffix.contains(".")) {
      prefix = mask(suffix, ip, at);
    } else {
      prefix = prefix(suffix, ip, at);
    }
    return new Interface(
        index, name, nodev ? Optional.empty() : Optional.of(dev), ip, prefix, nodev, false);
  }

  /**
   * The command-line form of {@code i}, which {@link #parseSpec} reads back; IPv6 in brackets. A
   * device that is marked {@code nodev} is not part of that form.
   */
  public static String formatSpec(Interface i) {
    String dev = i.nodev() ? "nodev:" : i.dev().map(d -> d + ":").orElse("");
    String ip =
        i.ip() instanceof Inet6Address
            ? "[" + IpLiteral.format(i.ip()) + "]"
            : IpLiteral.format(i.ip());
    return i.name().map(n -> n + "=").orElse("") + dev + ip + "/" + i.prefix();
  }

  /** Refuses two entries with the same index, name or (enabled) address; returns the list. */
  public static List<Interface> checkUnique(List<Interface> interfaces)
      throws InvalidInputException {
    Map<String, Interface> indexes = new HashMap<>();
    Map<String, Interface> names = new HashMap<>();
    Map<InetAddress, Interface> addresses = new HashMap<>();
    for (Interface i : interfaces) {
      Interface other = indexes.putIfAbsent(i.index(), i);
      if (other != null) {
        throw new InvalidInputException(
            "interface '" + i.index() + "' is given twice", "give each interface its own index");
      }
      if (i.disabled()) {
        continue;
      }
      if (i.name().isPresent() && (other = names.putIfAbsent(i.name().get(), i)) != null) {
        throw new InvalidInputException(
            "interface '"
                + i.index()
                + "': name '"
                + i.name().get()
                + "' is already used by interface '"
                + other.index()
                + "'",
            "give each interface its own name");
      }
      if ((other = addresses.putIfAbsent(i.ip(), i)) != null) {
        throw new InvalidInputException(
            "interface '"
                + i.index()
                + "': address "
                + IpLiteral.format(i.ip())
                + " is already used by interface '"
                + other.index()
                + "'",
            "give each interface its own address");
      }
    }
    return List.copyOf(interfaces);
  }

  /**
   * Writes one directory per interface under {@code interfacesDir} ({@code ip}, {@code prefix}, and
   * {@code dev}, {@code name}, {@code nodev}, {@code disabled} where set) and removes entries that
   * are no longer in {@code interfaces}. Files Gaiola does not model are left alone.
   */
  public static void write(Path interfacesDir, List<Interface> interfaces) throws IOException {
    Set<String> keep = new HashSet<>();
    for (Interface i : interfaces) {
      checkIndex(i.index());
      keep.add(i.index());
    }
    if (interfaces.isEmpty() && !Files.exists(interfacesDir)) {
      return;
    }
    Files.createDirectories(interfacesDir);
    try (Stream<Path> children = Files.list(interfacesDir)) {
      for (Path child : children.toList()) {
        String n = child.getFileName().toString();
        if (Files.isDirectory(child) && !n.equals("lback") && !keep.contains(n)) {
          deleteTree(child);
        }
      }
    }
    for (Interface i : interfaces) {
      Path d = interfacesDir.resolve(i.index());
      SettingFiles.write(d.resolve("ip"), IpLiteral.format(i.ip()));
      SettingFiles.write(d.resolve("prefix"), Integer.toString(i.prefix()));
      writeOrDelete(d.resolve("dev"), i.dev());
      writeOrDelete(d.resolve("name"), i.name());
      writeOrDelete(d.resolve("nodev"), i.nodev() ? Optional.of("") : Optional.empty());
      writeOrDelete(d.resolve("disabled"), i.disabled() ? Optional.of("") : Optional.empty());
      writeOrDelete(d.resolve("gateway"), i.gateway().map(IpLiteral::format));
      writeOrDelete(d.resolve("mtu"), i.mtu().isPresent() ? Optional.of(Integer.toString(i.mtu().getAsInt())) : Optional.empty());
      writeOrDelete(d.resolve("mac"), i.mac());
      Files.deleteIfExists(d.resolve("gw"));
      // The prefix file says it all; a stale mask or legacy only_ip would contradict it.
      Files.deleteIfExists(d.resolve("mask"));
      Files.deleteIfExists(d.resolve("only_ip"));
    }
  }

  private static InetAddress address(String text, String at) throws InvalidInputException {
    return IpLiteral.parse(text)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    at + ": " + SettingFiles.quote(text) + " is not an IPv4 or IPv6 address",
                    "write a literal address such as 192.0.2.10 or 2001:db8::10 (no host names;"
                        + " IPv4-mapped IPv6 as plain IPv4)"));
  }

  /** A gateway: an address of the same family as the interface's own, not that address itself. */
  public static InetAddress gateway(String text, InetAddress ip, String at) throws InvalidInputException {
    InetAddress gw = address(text, at);
    if (gw.getClass() != ip.getClass()) {
      throw new InvalidInputException(
          at + ": gateway " + SettingFiles.quote(text) + " is not of the same family as " + IpLiteral.format(ip),
          "give an IPv4 gateway to an IPv4 address and an IPv6 gateway to an IPv6 address");
    }
    if (gw.equals(ip)) {
      throw new InvalidInputException(
          at + ": gateway " + SettingFiles.quote(text) + " is the interface's own address",
          "give the address of the router on that network");
    }
    return gw;
  }

  /** An MTU: 68 to 65535, at least 1280 for IPv6. */
  public static int mtu(String text, InetAddress ip, String at) throws InvalidInputException {
    int min = ip instanceof Inet6Address ? Interface.MIN_MTU_IPV6 : Interface.MIN_MTU;
    if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < min || Integer.parseInt(text) > 65535) {
      throw new InvalidInputException(
          at + ": mtu " + SettingFiles.quote(text) + " is not a number from " + min + " to 65535",
          "write the link's MTU, e.g. 1500");
    }
    return Integer.parseInt(text);
  }

  /** A unicast MAC address in colon notation. */
  public static String mac(String text, String at) throws InvalidInputException {
    if (!Interface.isUnicastMac(text)) {
      throw new InvalidInputException(
          at + ": " + SettingFiles.quote(text) + " is not a unicast MAC address",
          "write six hex octets with an even first octet, e.g. 02:00:c6:33:64:0b");
    }
    return text.toLowerCase(java.util.Locale.ROOT);
  }

  private static int prefix(String text, InetAddress ip, String at) throws InvalidInputException {
    int max = maxPrefix(ip);
    if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) > max) {
      throw new InvalidInputException(
          at + ": prefix " + SettingFiles.quote(text) + " is not a number from 0 to " + max,
          "write the prefix length, e.g. 24 for 255.255.255.0");
    }
    return Integer.parseInt(text);
  }

  private static int mask(String text, InetAddress ip, String at) throws InvalidInputException {
    if (!(ip instanceof Inet4Address)) {
      throw new InvalidInputException(
          at
              + ": netmask "
              + SettingFiles.quote(text)
              + " given for IPv6 address "
              + IpLiteral.format(ip),
          "give IPv6 addresses a prefix length such as /64");
    }
    byte[] m = IpLiteral.ipv4(text);
    if (m == null) {
      throw new InvalidInputException(
          at + ": netmask " + SettingFiles.quote(text) + " is not a dotted quad",
          "write a netmask such as 255.255.255.0, or a prefix length");
    }
    int bits = ((m[0] & 0xff) << 24) | ((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff);
    int prefix = Integer.bitCount(bits);
    // Contiguous: the mask equals the one of its own bit count.
    if (bits != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
      throw new InvalidInputException(
          at + ": netmask " + SettingFiles.quote(text) + " is not contiguous",
          "write a netmask whose one bits come first, such as 255.255.255.0");
    }
    return prefix;
  }

  private static int maxPrefix(InetAddress ip) {
    return ip.getAddress().length * 8;
  }

  /**
   * Linux's rule for interface names ({@code dev_valid_name}): 1 to 15 bytes, no '/', ':' or blank.
   */
  private static void checkIfName(String n, String what) throws InvalidInputException {
    boolean ok =
        !n.isEmpty()
            && n.getBytes(StandardCharsets.UTF_8).length <= 15
            && !n.equals(".")
            && !n.equals("..")
            && n.chars().noneMatch(c -> c == '/' || c == ':' || c <= ' ' || c == 0x7f);
    if (!ok) {
      throw new InvalidInputException(
          what + " " + SettingFiles.quote(n) + " is not a valid interface name",
          "use 1 to 15 characters without '/', ':' or blanks, e.g. eth0");
    }
  }

  private static void checkIndex(String index) {
    if (index == null
        || index.isEmpty()
        || index.contains("/")
        || index.equals(".")
        || index.equals("..")
        || index.equals("lback")) {
      throw new IllegalArgumentException("illegal interface index: " + index);
    }
  }

  private static Optional<String> value(
      Path file, String label, String noteName, Consumer<String> notes)
      throws InvalidInputException {
    return SettingFiles.readValue(file, label, noteName, notes);
  }

  private static void writeOrDelete(Path file, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      SettingFiles.write(file, value.get());
    } else {
      Files.deleteIfExists(file);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.list(p)) {
        for (Path c : s.toList()) {
          deleteTree(c);
        }
      }
    }
    Files.delete(p);
  }
}
