package gaiola.proc;

/**
 * A process with the context it belongs to: a guest's id and name, {@link ContextMap#HOST_CONTEXT}
 * for the host, or {@link ContextMap#OTHER_CONTEXT} for a PID namespace that is no known guest's.
 */
public record ContextProcess(ProcessInfo process, int context, String name) {
  /** The process's pid inside its guest (equal to the pid for the host's processes). */
  public long guestPid() {
    return process.guestPid();
  }

  /** The context as the tables print it: its number, or {@code -} for another namespace. */
  public String contextLabel() {
    return context == ContextMap.OTHER_CONTEXT ? "-" : Integer.toString(context);
  }
}
