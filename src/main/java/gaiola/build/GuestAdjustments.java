package gaiola.build;

import gaiola.config.GuestConfig;
import gaiola.config.InitStyle;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What makes a freshly bootstrapped Debian tree boot as a guest, as util-vserver's Debian
 * {@code initpost} and the seed article do: no gettys on ttys the guest does not have, no kernel
 * log readers, {@code /etc/mtab} from {@code /proc/mounts}, the guest's own hostname and hosts
 * files, and no boot scripts that need hardware or privileges a guest does not have.
 */
public final class GuestAdjustments {
  /**
   * Boot and shutdown scripts that fail in a guest, found by running each in a bookworm guest:
   * hwclock.sh (no RTC), mountkernfs.sh, checkroot.sh, mountall.sh, umountfs, umountroot (mount
   * and umount need CAP_SYS_ADMIN), hostname.sh (so does sethostname; the UTS name is set from
   * the configuration), procps (sysctl on the read-only /proc/sys). udev, kmod, klogd and
   * setserial are not in minbase; they need devices, CAP_SYS_MODULE or /proc/kmsg.
   */
  static final Set<String> HARDWARE_SCRIPTS =
      Set.of(
          "hwclock.sh", "mountkernfs.sh", "checkroot.sh", "mountall.sh", "umountfs", "umountroot",
          "hostname.sh", "procps", "udev", "kmod", "klogd", "setserial");

  /**
   * With a reaper as PID 1 (sysv style) {@code rc 6} must not end the guest by itself: reboot and
   * halt would make it look rebooted; the stop's kill sequence ends what is left.
   */
  static final Set<String> REAPER_SHUTDOWN_SCRIPTS = Set.of("reboot", "halt");

  private GuestAdjustments() {}

  /** Adjusts the Debian tree at {@code vdir} for the guest {@code config} describes. */
  public static void apply(Path vdir, GuestConfig config) throws IOException {
    Path etc = Files.createDirectories(vdir.resolve("etc"));
    noGettys(etc.resolve("inittab"));
    noKernelLog(etc);
    Path mtab = etc.resolve("mtab");
    Files.deleteIfExists(mtab);
    Files.createSymbolicLink(mtab, Path.of("/proc/mounts"));
    RootTree.identity(vdir, config);
    disable(etc, HARDWARE_SCRIPTS);
    if (config.init().style() == InitStyle.SYSV) {
      disable(etc, REAPER_SHUTDOWN_SCRIPTS);
    }
    // debootstrap's own policy-rc.d is gone after its run; one left by an interrupted run is not.
    Files.deleteIfExists(vdir.resolve("usr/sbin/policy-rc.d"));
    cleanPackageCache(vdir.resolve("var/cache/apt"));
  }

  /** Comments out the inittab lines that respawn a getty: a guest has no ttys to log in on. */
  static void noGettys(Path inittab) throws IOException {
    if (!Files.isRegularFile(inittab, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(inittab)) {
      String[] f = line.split(":", 4);
      boolean getty = !line.startsWith("#") && f.length == 4 && f[3].matches("\\S*getty\\b.*");
      out.add(getty ? "#gaiola: no ttys in a guest# " + line : line);
    }
    Files.write(inittab, out);
  }

  /** rsyslog's imklog reads /proc/kmsg, which a guest cannot (it is masked); leave it out. */
  static void noKernelLog(Path etc) throws IOException {
    List<Path> confs = new ArrayList<>();
    confs.add(etc.resolve("rsyslog.conf"));
    Path d = etc.resolve("rsyslog.d");
    if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*.conf")) {
        s.forEach(confs::add);
      }
    }
    for (Path conf : confs) {
      if (!Files.isRegularFile(conf, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      List<String> lines = Files.readAllLines(conf, java.nio.charset.StandardCharsets.ISO_8859_1);
      List<String> out = new ArrayList<>();
      for (String line : lines) {
        boolean klog = !line.strip().startsWith("#") && line.contains("imklog");
        out.add(klog ? "#gaiola: no kernel log in a guest# " + line : line);
      }
      Files.write(conf, out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  /** Removes the runlevel links (rcS.d, rc0.d … rc6.d) of the named init scripts. */
  static void disable(Path etc, Set<String> scripts) throws IOException {
    for (String level : List.of("S", "0", "1", "2", "3", "4", "5", "6")) {
      Path dir = etc.resolve("rc" + level + ".d");
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
        for (Path link : s) {
          String n = link.getFileName().toString();
          if (n.matches("[SK][0-9]{2}.+") && scripts.contains(n.substring(3))) {
            Files.delete(link);
          }
        }
      }
    }
  }

  /** apt-get clean: the packages debootstrap unpacked stay in the cache, not in every guest. */
  static void cleanPackageCache(Path aptCache) throws IOException {
    Path archives = aptCache.resolve("archives");
    if (Files.isDirectory(archives, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(archives, "*.deb")) {
        for (Path deb : s) {
          Files.delete(deb);
        }
      }
    }
    Files.deleteIfExists(aptCache.resolve("pkgcache.bin"));
    Files.deleteIfExists(aptCache.resolve("srcpkgcache.bin"));
  }
}
