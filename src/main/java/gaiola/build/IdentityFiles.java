package gaiola.build;

import static gaiola.host.FileCalls.*;

import gaiola.config.GuestConfig;
import gaiola.config.Interface;
import gaiola.host.FileCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files inside a guest that name it, rewritten for a guest made from another one (a clone, a
 * template): {@code /etc/hostname}, {@code /etc/hosts}, Debian's {@code /etc/network/interfaces},
 * Gentoo's {@code /etc/conf.d/hostname} and {@code domainname}. The tree came from elsewhere, so
 * every path is opened without following links: a link planted at one of these names is left as it
 * is and never written through.
 */
public final class IdentityFiles {
  private IdentityFiles() {}

  /**
   * Rewrites the files of {@code vdir} for {@code config}; {@code previous} is the guest the tree
   * came from (its names and addresses are replaced), empty for a template. Returns the files
   * changed, as guest paths.
   */
  public static List<String> rewrite(Path vdir, GuestConfig config, Optional<GuestConfig> previous) throws IOException {
    List<String> changed = new ArrayList<>();
    int root = FileCalls.openat(AT_FDCWD, FileCalls.bytes(vdir.toString()), O_RDONLY | O_DIRECTORY, 0);
    try {
      int etc = dir(root, "etc");
      if (etc < 0) {
        return changed;
      }
      try {
        String host = config.uts().nodename();
        Optional<String> domain = config.uts().domainname();
        if (replace(etc, "hostname", Optional.of(""), old -> host + "\n")) {
          changed.add("/etc/hostname");
        }
        if (replace(etc, "hosts", Optional.of(""), old -> hosts(old, config, previous))) {
          changed.add("/etc/hosts");
        }
        int network = dir(etc, "network");
        if (network >= 0) {
          try {
            if (previous.isPresent() && replace(network, "interfaces", Optional.empty(), old -> interfaces(old, config, previous.get()))) {
              changed.add("/etc/network/interfaces");
            }
          } finally {
            FileCalls.close(network);
          }
        }
        int confd = dir(etc, "conf.d");
        if (confd >= 0) {
          try {
            if (replace(confd, "hostname", Optional.empty(), old -> assignments(old, host))) {
              changed.add("/etc/conf.d/hostname");
            }
            if (domain.isPresent() && replace(confd, "domainname", Optional.empty(), old -> assignments(old, domain.get()))) {
              changed.add("/etc/conf.d/domainname");
            }
          } finally {
            FileCalls.close(confd);
          }
        }
      } finally {
        FileCalls.close(etc);
      }
    } finally {
      FileCalls.close(root);
    }
    return changed;
  }

  /** {@code /etc/hosts}: lines naming the old guest or 127.0.1.1 give way to one for the new name. */
  static String hosts(String old, GuestConfig config, Optional<GuestConfig> previous) {
    Set<String> oldNames = new TreeSet<>();
    Set<String> oldAddresses = new TreeSet<>();
    previous.ifPresent(p -> {
      oldNames.add(p.uts().nodename());
      p.uts().domainname().ifPresent(d -> oldNames.add(p.uts().nodename() + "." + d));
      p.interfaces().forEach(i -> oldAddresses.add(i.ip().getHostAddress()));
    });
    String node = config.uts().nodename();
    String fqdn = config.uts().domainname().map(d -> node + "." + d + " ").orElse("");
    String own = "127.0.1.1\t" + fqdn + node;
    StringBuilder b = new StringBuilder();
    boolean placed = false;
    for (String line : old.lines().toList()) {
      String body = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
      String[] f = body.trim().split("\\s+");
      boolean names = f.length > 1 && java.util.Arrays.stream(f).skip(1).anyMatch(oldNames::contains);
      boolean stale = f.length > 0 && (f[0].equals("127.0.1.1") || oldAddresses.contains(f[0]) || names || line.endsWith("# gaiola"));
      if (stale) {
        if (!placed) {
          b.append(own).append('\n');
          placed = true;
        }
        continue;
      }
      b.append(line).append('\n');
      if (!placed && f.length > 1 && f[0].equals("127.0.0.1")) {
        b.append(own).append('\n');
        placed = true;
      }
    }
    if (old.isEmpty()) {
      b.append("127.0.0.1\tlocalhost\n");
    }
    if (!placed) {
      b.append(own).append('\n');
    }
    if (old.isEmpty()) {
      b.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
    }
    return b.toString();
  }

  /** Debian's interfaces file: the old guest's addresses become the new one's, entry by entry. */
  static String interfaces(String old, GuestConfig config, GuestConfig previous) {
    String text = old;
    List<Interface> from = previous.interfaces();
    List<Interface> to = config.interfaces();
    for (int i = 0; i < Math.min(from.size(), to.size()); i++) {
      String a = from.get(i).ip().getHostAddress();
      String b = to.get(i).ip().getHostAddress();
      text = text.replaceAll("(?m)(^\\s*address\\s+)" + java.util.regex.Pattern.quote(a) + "(?=[/\\s]|$)", "$1" + b);
    }
    text = text.replaceAll("(?m)(^\\s*hostname\\s+)" + java.util.regex.Pattern.quote(previous.uts().nodename()) + "\\s*$",
        "$1" + config.uts().nodename());
    return text;
  }

  /** Gentoo's {@code KEY="VALUE"} files: every assignment gets the new value. */
  static String assignments(String old, String value) {
    StringBuilder b = new StringBuilder();
    for (String line : old.lines().toList()) {
      if (line.matches("\\s*[A-Za-z_][A-Za-z0-9_]*=.*") && !line.trim().startsWith("#")) {
        b.append(line, 0, line.indexOf('=') + 1).append('"').append(value).append('"').append('\n');
      } else {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }

  /** A directory below {@code parent}, never through a link; -1 when there is none. */
  private static int dir(int parent, String name) throws IOException {
    try {
      return FileCalls.openat(parent, FileCalls.bytes(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
    } catch (FileCalls.CallException e) {
      return -1;
    }
  }

  private interface Edit {
    String apply(String old);
  }

  /**
   * Replaces a regular file's text with {@code edit}'s result, keeping its owner and mode. A
   * missing file is made only when {@code whenMissing} gives the text to start from; anything but
   * a regular file (a link, a device) is left alone.
   */
  private static boolean replace(int dir, String name, Optional<String> whenMissing, Edit edit) throws IOException {
    byte[] n = FileCalls.bytes(name);
    FileCalls.Stat st;
    String old;
    try {
      st = FileCalls.lstatat(dir, n);
    } catch (FileCalls.CallException e) {
      if (e.errno() != ENOENT || whenMissing.isEmpty()) {
        return false;
      }
      st = null;
    }
    if (st != null && st.type() != S_IFREG) {
      return false;
    }
    if (st == null) {
      old = whenMissing.get();
    } else {
      int fd = FileCalls.openat(dir, n, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
      try {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[65536];
        int r;
        while ((r = FileCalls.read(fd, b, 0, b.length, n)) > 0 && buf.size() < (1 << 20)) {
          buf.write(b, 0, r);
        }
        old = buf.toString(StandardCharsets.ISO_8859_1);
      } finally {
        FileCalls.close(fd);
      }
    }
    String text = edit.apply(old);
    if (st != null && text.equals(old)) {
      return false;
    }
    byte[] temp = FileCalls.bytes("." + name + ".gaiola-new");
    try {
      FileCalls.unlinkat(dir, temp, 0);
    } catch (FileCalls.CallException e) {
      // not there: the usual case
    }
    int fd = FileCalls.openat(dir, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    try {
      byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
      FileCalls.write(fd, data, 0, data.length, n);
      if (st != null) {
        FileCalls.fchown(fd, st.uid(), st.gid(), n);
        FileCalls.fchmod(fd, st.permissions(), n);
      }
    } finally {
      FileCalls.close(fd);
    }
    FileCalls.renameat(dir, temp, dir, n);
    return true;
  }
}
