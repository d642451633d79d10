package gaiola.proc;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assigns each process of a {@link ProcessTable} to a context: the host (0, {@code host}), the
 * guest whose init shares its PID namespace, or {@code -1} ({@code (other)}) for a namespace that
 * belongs to no known guest, such as another tool's container.
 */
public final class ContextMap {
  public static final int HOST_CONTEXT = 0;
  public static final int OTHER_CONTEXT = -1;
  public static final String HOST_NAME = "host";
  public static final String OTHER_NAME = "(other)";

  private final ProcessTable table;
  private final Map<Long, GuestContext> guestsByNamespace;

  private ContextMap(ProcessTable table, Map<Long, GuestContext> guestsByNamespace) {
    this.table = table;
    this.guestsByNamespace = guestsByNamespace;
  }

  /** Maps the table's processes to the given guests; a guest whose init is gone is not running. */
  public static ContextMap of(ProcessTable table, Collection<GuestContext> guests) {
    Map<Long, GuestContext> byNamespace = new LinkedHashMap<>();
    List<GuestContext> ordered =
        guests.stream().sorted(Comparator.comparingInt(GuestContext::context)).toList();
    for (GuestContext guest : ordered) {
      long ns =
          table
              .process(guest.initPid())
              .map(ProcessInfo::pidNamespace)
              .orElse(ProcessInfo.UNKNOWN_NAMESPACE);
      // an init in the host's namespace (or one we may not see) must not claim the host's processes
      if (ns != ProcessInfo.UNKNOWN_NAMESPACE && ns != table.hostNamespace()) {
        byNamespace.putIfAbsent(ns, guest);
      }
    }
    return new ContextMap(table, byNamespace);
  }

  public ProcessTable table() {
    return table;
  }

  /** The guests that have a running init, by context id. */
  public List<GuestContext> running() {
    return List.copyOf(guestsByNamespace.values());
  }

  /** The guest a process belongs to, if any. */
  public Optional<GuestContext> guestOf(ProcessInfo process) {
    return Optional.ofNullable(guestsByNamespace.get(process.pidNamespace()));
  }

  /** The process with its context. */
  public ContextProcess annotate(ProcessInfo process) {
    GuestContext guest = guestsByNamespace.get(process.pidNamespace());
    if (guest != null) {
      return new ContextProcess(process, guest.context(), guest.name());
    }
    if (process.pidNamespace() == table.hostNamespace()) {
      return new ContextProcess(process, HOST_CONTEXT, HOST_NAME);
    }
    return new ContextProcess(process, OTHER_CONTEXT, OTHER_NAME);
  }

  /** Every process of the table with its context, by pid. */
  public List<ContextProcess> processes() {
    return table.all().stream().map(this::annotate).toList();
  }
}
