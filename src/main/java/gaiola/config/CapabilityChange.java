package gaiola.config;

import gaiola.error.InvalidInputException;
import gaiola.host.CapabilityBounds;
import java.util.Set;
import java.util.TreeSet;

/**
 * One line of {@code bcapabilities}: {@code CAP_X} adds a capability to the guest's default set,
 * {@code !CAP_X} (or {@code ~CAP_X}) removes it.
 */
public record CapabilityChange(String capability, boolean add) {
  /** Every capability name the kernel defines (as of Linux 6.x). */
  public static final Set<String> KNOWN = Set.copyOf(CapabilityBounds.BY_NUMBER);

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
