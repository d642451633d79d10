package gaiola.host;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The capabilities this process may hand on: a guest can never hold one that is outside our own
 * bounding set (some sandboxes and hosts drop e.g. CAP_SYS_RESOURCE), and asking runc for it fails.
 */
public final class CapabilityBounds {
  /** Capability names by number, as in linux/capability.h. */
  public static final List<String> BY_NUMBER =
      List.of(
          "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
          "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
          "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
          "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
          "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

  private CapabilityBounds() {}

  /** Our bounding set, from {@code /proc/self/status}; every known capability if unreadable. */
  public static Set<String> ours() {
    return Ours.VALUE;
  }

  /** Read once: Gaiola never drops capabilities itself, and the daemon asks on every start. */
  private static final class Ours {
    static final Set<String> VALUE = Collections.unmodifiableSet(read());
  }

  private static Set<String> read() {
    try {
      String bounds = ProcSelf.status().get("CapBnd");
      if (bounds != null) {
        return decode(Long.parseUnsignedLong(bounds, 16));
      }
    } catch (IOException | NumberFormatException e) {
      // Fall through: let runc be the judge.
    }
    return new TreeSet<>(BY_NUMBER);
  }

  static Set<String> decode(long mask) {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < BY_NUMBER.size(); i++) {
      if ((mask & (1L << i)) != 0) {
        names.add(BY_NUMBER.get(i));
      }
    }
    return names;
  }
}
