package gaiola.config;

import gaiola.error.InvalidInputException;
import java.util.List;

/**
 * How a guest boots and stops ({@code apps/init/style}), as util-vserver defines the styles. A
 * style either runs the guest's own init as PID 1, or has no init of its own: then PID 1 is a
 * minimal reaper and the style's start and stop commands run inside the guest.
 */
public enum InitStyle {
  /** util-vserver's default: {@code /etc/init.d/rc RUNLEVEL} under a reaper. */
  SYSV("sysv", false),
  /** The guest's own {@code /sbin/init} is PID 1. */
  PLAIN("plain", true),
  /** Gentoo/OpenRC: {@code /lib/rc/sh/init-vserver.sh default} under a reaper. */
  GENTOO("gentoo", false),
  /** Arch: {@code /etc/rc.multi} and {@code /etc/rc.shutdown} under a reaper. */
  ARCH("arch", false),
  /** minit as PID 1. */
  MINIT("minit", true);

  private final String fileValue;
  private final boolean ownInit;

  InitStyle(String fileValue, boolean ownInit) {
    this.fileValue = fileValue;
    this.ownInit = ownInit;
  }

  /** The spelling in {@code apps/init/style}. */
  public String fileValue() {
    return fileValue;
  }

  /** True when the guest's own init is PID 1, false when a reaper is. */
  public boolean ownInit() {
    return ownInit;
  }

  /** The command PID 1 runs when the guest has its own init. */
  public List<String> initCommand() {
    return switch (this) {
      case PLAIN -> List.of("/sbin/init");
      case MINIT -> List.of("/sbin/minit");
      case SYSV, GENTOO, ARCH -> List.of();
    };
  }

  /** The command run inside the guest once PID 1 is up (empty for styles with their own init). */
  public List<String> startCommand(String runlevel) {
    return switch (this) {
      case SYSV -> List.of("/etc/init.d/rc", runlevel);
      case GENTOO -> List.of("/lib/rc/sh/init-vserver.sh", "default");
      case ARCH -> List.of("/etc/rc.multi");
      case PLAIN, MINIT -> List.of();
    };
  }

  /** The command run inside the guest to stop it (empty: stop by signalling PID 1). */
  public List<String> stopCommand(String runlevel) {
    return switch (this) {
      case SYSV -> List.of("/etc/init.d/rc", runlevel);
      case GENTOO -> List.of("/sbin/rc", "shutdown");
      case ARCH -> List.of("/etc/rc.shutdown");
      case MINIT -> List.of("/sbin/minit-stop");
      case PLAIN -> List.of();
    };
  }

  public static InitStyle parse(String text) throws InvalidInputException {
    String t = text == null ? "" : text.strip();
    if (t.equals("openrc")) {
      return GENTOO;
    }
    for (InitStyle s : values()) {
      if (s.fileValue.equals(t)) {
        return s;
      }
    }
    throw new InvalidInputException(
        "init style '" + t + "' is not known",
        "use one of sysv, plain, gentoo (openrc), arch, minit");
  }
}
