package gaiola.config;

import gaiola.error.InvalidInputException;
import java.util.Set;
import java.util.TreeSet;

/**
 * One line of {@code bcapabilities}: {@code CAP_X} adds a capability to the guest's default set,
 * {@code !CAP_X} (or {@code ~CAP_X}) removes it.
 */
public record CapabilityChange(String capability, boolean add) {
  /** Every capability name the kernel defines (as of Linux 6.x). */
  public static final Set<String> KNOWN =
      Set.of(
          "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
          "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
          "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
          "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
          "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

  public CapabilityChange {
    if (!KNOWN.contains(capability)) {
      throw new IllegalArgumentException("unknown capability: " + capability);
    }
  }

  /** Parses one line; the {@code CAP_} prefix is optional and case does not matter. */
  public static CapabilityChange parse(String line) throws InvalidInputException {
    String t = line.strip();
    boolean add = true;
    if (t.startsWith("!") || t.startsWith("~")) {
      add = false;
      t = t.substring(1).strip();
    }
    String name = t.toUpperCase(java.util.Locale.ROOT);
    if (!name.startsWith("CAP_")) {
      name = "CAP_" + name;
    }
    if (!KNOWN.contains(name)) {
      throw new InvalidInputException(
          "capability '" + line.strip() + "' is not known",
          "use a name such as CAP_NET_RAW, or !CAP_NET_RAW to remove it");
    }
    return new CapabilityChange(name, add);
  }

  /** Applies changes in order to a base set. */
  public static Set<String> apply(Set<String> base, Iterable<CapabilityChange> changes) {
    Set<String> result = new TreeSet<>(base);
    for (CapabilityChange c : changes) {
      if (c.add) {
        result.add(c.capability);
      } else {
        result.remove(c.capability);
      }
    }
    return result;
  }

  /** The file form of this line. */
  public String line() {
    return add ? capability : "!" + capability;
  }
}
