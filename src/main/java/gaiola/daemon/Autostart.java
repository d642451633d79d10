package gaiola.daemon;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.InvalidInputException;
import gaiola.guest.Guests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * util-vserver's marks: the guests whose {@code apps/init/mark} names a mark start together
 * ({@code default} when the daemon starts, like the {@code vservers-default} init script). An
 * optional {@code apps/init/order} (an integer, 0 when absent) puts them in groups: lower orders
 * first; the guests of one group start in parallel. Stopping goes through the groups backwards.
 */
public final class Autostart {
  /** What is done to one guest: start or stop, through the daemon or in-process. */
  public interface Operation {
    void apply(Guests guests, GuestName name) throws GaiolaException;
  }

  private final HostLayout layout;
  private final Supplier<Guests> engine;
  private final Operation start;
  private final Operation stop;

  public Autostart(HostLayout layout, Supplier<Guests> engine, Operation start, Operation stop) {
    this.layout = layout;
    this.engine = engine;
    this.start = start;
    this.stop = stop;
  }

  /** A mark as typed: a name like a guest's; anything else is refused. */
  public static String checkMark(String mark) throws InvalidInputException {
    if (mark == null || !mark.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new InvalidInputException(
          "mark '" + Api.printable(mark) + "' is not a valid mark",
          "use letters, digits, '.', '_' and '-', e.g. 'default'");
    }
    return mark;
  }

  /** The guests of a mark, grouped by order; a guest whose order file is bad is in {@code bad}. */
  List<List<GuestName>> plan(String mark, Map<String, String> bad) throws GaiolaException {
    TreeMap<Integer, List<GuestName>> groups = new TreeMap<>();
    for (GuestName n : engine.get().list()) {
      Path dir = layout.configDir(n).resolve("apps/init");
      try {
        Path markFile = dir.resolve("mark");
        if (!Files.isRegularFile(markFile) || !Files.readString(markFile).strip().equals(mark)) {
          continue;
        }
        Path orderFile = dir.resolve("order");
        int order = 0;
        if (Files.isRegularFile(orderFile)) {
          String t = Files.readString(orderFile).strip();
          if (!t.matches("-?\\d{1,9}")) {
            bad.put(n.value(), n + "/apps/init/order: '" + Api.printable(t) + "' is not an integer; write a number such as 10");
            continue;
          }
          order = Integer.parseInt(t);
        }
        groups.computeIfAbsent(order, o -> new ArrayList<>()).add(n);
      } catch (IOException e) {
        bad.put(n.value(), "cannot read " + dir + ": " + e.getMessage());
      }
    }
    return new ArrayList<>(groups.values());
  }

  /** Starts the guests of the mark; each result names the guests done and those that failed. */
  public Map<String, Object> start(String mark) throws GaiolaException {
    return run(mark, start, false);
  }

  public Map<String, Object> stop(String mark) throws GaiolaException {
    return run(mark, stop, true);
  }

  private Map<String, Object> run(String mark, Operation op, boolean backwards) throws GaiolaException {
    Map<String, String> failed = new ConcurrentHashMap<>();
    List<List<GuestName>> groups = plan(checkMark(mark), failed);
    if (backwards) {
      Collections.reverse(groups);
    }
    ConcurrentSkipListSet<String> done = new ConcurrentSkipListSet<>();
    for (List<GuestName> group : groups) {
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (GuestName n : group) {
          pool.execute(
              () -> {
                try {
                  op.apply(engine.get(), n);
                  done.add(n.value());
                } catch (GaiolaException | RuntimeException e) {
                  failed.put(n.value(), e instanceof GaiolaException g ? g.oneLine() : e.toString());
                }
              });
        }
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("mark", mark);
    result.put(backwards ? "stopped" : "started", List.copyOf(done));
    result.put("failed", new TreeMap<>(failed));
    return result;
  }
}
