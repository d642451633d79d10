package gaiola.runtime;

import gaiola.config.CapabilityChange;
import java.util.List;
import java.util.Set;

/**
 * The capabilities a guest's processes get. The default follows util-vserver's and LXC's spirit: a
 * guest's root administers its own files, processes and services, but not the host's kernel,
 * clock, network stack, modules, raw devices or security modules.
 */
public final class GuestCapabilities {
  /** Kept: what a virtual server's root needs (NET_RAW for ping, SYS_BOOT so `reboot` works). */
  public static final Set<String> DEFAULT =
      Set.of(
          "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
          "CAP_FOWNER", "CAP_FSETID", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_KILL", "CAP_LEASE",
          "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP", "CAP_SETGID",
          "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_BOOT", "CAP_SYS_CHROOT", "CAP_SYS_NICE",
          "CAP_SYS_PTRACE", "CAP_SYS_RESOURCE", "CAP_SYS_TTY_CONFIG");

  private GuestCapabilities() {}

  /** The default set changed by the guest's {@code bcapabilities}, sorted. */
  public static List<String> effective(List<CapabilityChange> changes) {
    return List.copyOf(CapabilityChange.apply(DEFAULT, changes));
  }
}
