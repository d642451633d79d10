package gaiola.config;

import gaiola.error.InvalidInputException;

/**
 * A guest's context id (xid), util-vserver's identity of a virtual server. 0 is the host and 1 the
 * spectator context; guests use 2..49151, and ids handed out automatically start at 40000.
 */
public record ContextId(int value) implements Comparable<ContextId> {
  public static final int MIN = 2;
  public static final int MAX = 49151;
  /** util-vserver's {@code context.start}: the first id handed out when none is given. */
  public static final int FIRST_AUTOMATIC = 40000;

  public ContextId {
    if (value < MIN || value > MAX) {
      throw new IllegalArgumentException("context id out of range: " + value);
    }
  }

  public static ContextId parse(String text) throws InvalidInputException {
    String t = text == null ? "" : text.strip();
    int id;
    try {
      id = Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          "context id '" + t + "' is not a number", "give an integer from " + MIN + " to " + MAX);
    }
    if (id < MIN || id > MAX) {
      throw new InvalidInputException(
          "context id " + id + " is out of range",
          "give an integer from " + MIN + " to " + MAX + " (0 is the host, 1 the spectator)");
    }
    return new ContextId(id);
  }

  @Override
  public int compareTo(ContextId other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
