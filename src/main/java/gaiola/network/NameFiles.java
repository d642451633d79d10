package gaiola.network;

import gaiola.config.Fstab;
import gaiola.config.IpLiteral;
import gaiola.config.NetworkSettings;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The guest's {@code /etc/resolv.conf} and its own line in {@code /etc/hosts}, written at start
 * from its configuration (as OpenVZ's SET_DNS and SET_HOSTNAME scripts do). Paths are resolved as
 * the guest would see them, so a link planted in the guest never sends a write outside its root.
 */
public final class NameFiles {
  /** Marks the lines of {@code /etc/hosts} Gaiola owns; others are never touched. */
  static final String MARK = "# gaiola";

  private static final long MAX_SIZE = 1 << 20;

  private NameFiles() {}

  /** Writes resolv.conf when the configuration names servers, search domains or {@code inherit}. */
  public static void writeResolvConf(Path vdir, String guest, NetworkSettings net, Path hostResolvConf)
      throws GaiolaException {
    if (!net.managesResolvConf()) {
      return;
    }
    String content;
    if (net.inheritNameservers()) {
      content = read(hostResolvConf, "the host's " + hostResolvConf).orElse("");
    } else {
      StringBuilder b = new StringBuilder("# written by Gaiola from /etc/vservers/" + guest + "\n");
      if (!net.searchDomains().isEmpty()) {
        b.append("search ").append(String.join(" ", net.searchDomains())).append('\n');
      }
      for (InetAddress ns : net.nameservers()) {
        b.append("nameserver ").append(IpLiteral.format(ns)).append('\n');
      }
      content = b.toString();
    }
    write(vdir, "/etc/resolv.conf", content);
  }

  /**
   * Puts one line for the guest's own name on its first address into {@code /etc/hosts},
   * replacing the line Gaiola wrote before; does nothing for a guest without addresses.
   */
  public static void writeHosts(Path vdir, String hostname, Optional<String> domain, List<GuestLink> links)
      throws GaiolaException {
    Optional<InetAddress> first =
        links.stream().flatMap(l -> l.addresses().stream()).map(GuestLink.Address::ip).findFirst();
    if (first.isEmpty()) {
      return;
    }
    Path file = Fstab.resolveInside(vdir, "/etc/hosts");
    String old = read(file, "the guest's /etc/hosts").orElse("127.0.0.1\tlocalhost\n");
    List<String> lines = new ArrayList<>();
    for (String line : old.split("\n", -1)) {
      if (!line.endsWith(MARK)) {
        lines.add(line);
      }
    }
    while (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    String names = domain.map(d -> hostname + "." + d + " ").orElse("") + hostname;
    lines.add(IpLiteral.format(first.get()) + "\t" + names + "\t" + MARK);
    write(vdir, "/etc/hosts", String.join("\n", lines) + "\n");
  }

  private static Optional<String> read(Path file, String what) throws GaiolaException {
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_SIZE) {
        throw new InvalidInputException(
            what + " (" + file + ") is not a regular file of at most 1 MiB",
            "replace it with a plain text file");
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new HostException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path vdir, String inGuest, String content) throws GaiolaException {
    Path file = Fstab.resolveInside(vdir, inGuest);
    try {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(
            "the guest's " + inGuest + " (" + file + ") is not a regular file",
            "replace it with a plain file, or remove the guest's nameserver setting");
      }
      // Unchanged (every start of the same guest): no rename, which on a layered root would copy
      // the file up and on a disk mounted with discard waits for the old blocks' discard.
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
          && Files.size(file) <= MAX_SIZE
          && Arrays.equals(Files.readAllBytes(file), content.getBytes(StandardCharsets.UTF_8))) {
        return;
      }
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".gaiola-tmp");
      Files.deleteIfExists(tmp);
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
      } else {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new HostException("cannot write the guest's " + inGuest + ": " + e.getMessage(), e);
    }
  }
}
