package gaiola.build;

import gaiola.config.GuestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the parts every guest tree has: the skeleton directories and the identity files. */
public final class RootTree {
  /** The directories of an empty guest, as util-vserver's skeleton has them. */
  static final List<String> SKELETON =
      List.of(
          "bin", "dev", "etc", "home", "lib", "mnt", "proc", "root", "run", "sbin", "sys", "tmp",
          "usr", "usr/bin", "usr/sbin", "var", "var/log", "var/run", "var/tmp");

  private RootTree() {}

  /** Creates the skeleton directories below {@code vdir}, with /tmp sticky and /root private. */
  public static void skeleton(Path vdir) throws IOException {
    for (String d : SKELETON) {
      Files.createDirectories(vdir.resolve(d));
    }
    // The sticky bit has no PosixFilePermission; the unix view sets the whole mode.
    Files.setAttribute(vdir.resolve("tmp"), "unix:mode", 01777);
    Files.setAttribute(vdir.resolve("var/tmp"), "unix:mode", 01777);
    Files.setAttribute(vdir.resolve("root"), "unix:mode", 0700);
  }

  /** A minimal working Linux guest from the host's static busybox. */
  public static void busybox(Path vdir, GuestConfig config, gaiola.host.ProcessRunner runner)
      throws IOException, gaiola.error.GaiolaException {
    BusyboxTree.populate(vdir, config, runner);
  }

  /** {@code /etc/hostname} and {@code /etc/hosts} for the guest's own name. */
  public static void identity(Path vdir, GuestConfig config) throws IOException {
    Path etc = vdir.resolve("etc");
    Files.createDirectories(etc);
    String node = config.uts().nodename();
    String fqdn = config.uts().domainname().map(d -> node + "." + d + " ").orElse("");
    Files.writeString(etc.resolve("hostname"), node + "\n");
    Files.writeString(
        etc.resolve("hosts"),
        "127.0.0.1\tlocalhost\n"
            + "127.0.1.1\t" + fqdn + node + "\n"
            + "::1\tlocalhost ip6-localhost ip6-loopback\n");
  }
}
