package gaiola.proc;

/**
 * A running guest as the process table needs to know it: its context id, its name and the host pid
 * of its init. Its processes are those in the PID namespace of that init.
 */
public record GuestContext(int context, String name, long initPid) {
  public GuestContext {
    if (context < 2) {
      throw new IllegalArgumentException(
          "guest context must be 2 or more (0 is the host, 1 the spectator): " + context);
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("guest name is empty");
    }
    if (initPid < 1) {
      throw new IllegalArgumentException("init pid must be positive: " + initPid);
    }
  }
}
