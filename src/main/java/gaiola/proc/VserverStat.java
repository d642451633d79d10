package gaiola.proc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code vserver-stat}: one line per active context with its process count, memory, CPU time and
 * uptime, laid out in util-vserver's columns. The host comes first as context 0, then running
 * guests by context id, then, if any, the processes of namespaces that belong to no known guest.
 */
public final class VserverStat {
  static final String HEADER = "CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] UNITS = {" ", "K", "M", "G", "T", "P"};

  /** One context's line. */
  public record Row(
      int context,
      int processes,
      long vszBytes,
      long rssBytes,
      Duration userTime,
      Duration systemTime,
      Duration uptime,
      String name) {}

  /**
   * One context in {@code --json} output; sizes in bytes, times in milliseconds, context null for
   * others.
   */
  public record Entry(
      Integer context,
      String name,
      int processes,
      long vszBytes,
      long rssBytes,
      long userMillis,
      long systemMillis,
      long uptimeMillis) {}

  private VserverStat() {}

  /** The lines for every context that has processes, with uptimes counted up to {@code now}. */
  public static List<Row> rows(ContextMap map, Instant now) {
    ProcessTable table = map.table();
    Map<Long, List<ProcessInfo>> byNamespace = table.byPidNamespace();
    List<Row> rows = new ArrayList<>();
    rows.add(
        row(
            ContextMap.HOST_CONTEXT,
            ContextMap.HOST_NAME,
            byNamespace.getOrDefault(table.hostNamespace(), List.of()),
            table.bootTime(),
            now));
    Set<Long> claimed = new HashSet<>(Set.of(table.hostNamespace()));
    for (GuestContext guest : map.running()) {
      ProcessInfo init = table.process(guest.initPid()).orElseThrow();
      claimed.add(init.pidNamespace());
      List<ProcessInfo> members = byNamespace.get(init.pidNamespace());
      rows.add(row(guest.context(), guest.name(), members, init.startTime(), now));
    }
    List<ProcessInfo> others =
        table.all().stream().filter(p -> !claimed.contains(p.pidNamespace())).toList();
    if (!others.isEmpty()) {
      rows.add(
          row(
              ContextMap.OTHER_CONTEXT,
              ContextMap.OTHER_NAME,
              others,
              Totals.of(others).oldestStart(),
              now));
    }
    return rows;
  }

  private static Row row(
      int context, String name, List<ProcessInfo> members, Instant started, Instant now) {
    Totals t = Totals.of(members);
    Duration uptime = started.isAfter(now) ? Duration.ZERO : Duration.between(started, now);
    return new Row(
        context, t.count(), t.vszBytes(), t.rssBytes(), t.userTime(), t.systemTime(), uptime, name);
  }

  /** The table as vserver-stat prints it, header included. */
  public static String text(List<Row> rows) {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    for (Row r : rows) {
      String ctx = r.context() == ContextMap.OTHER_CONTEXT ? "-" : Integer.toString(r.context());
      String count = Integer.toString(r.processes());
      // context flush left and count flush right share the first ten columns
      out.append(ctx)
          .append(" ".repeat(Math.max(1, 10 - ctx.length() - count.length())))
          .append(count);
      out.append(
          "%7s%7s%10s%10s%10s "
              .formatted(
                  memory(r.vszBytes()),
                  memory(r.rssBytes()),
                  time(r.userTime()),
                  time(r.systemTime()),
                  time(r.uptime())));
      out.append(r.name()).append('\n');
    }
    return out.toString();
  }

  /** The rows as a JSON array of {@link Entry}. */
  public static String json(List<Row> rows) {
    List<Entry> entries =
        rows.stream()
            .map(
                r ->
                    new Entry(
                        r.context() == ContextMap.OTHER_CONTEXT ? null : r.context(),
                        r.name(),
                        r.processes(),
                        r.vszBytes(),
                        r.rssBytes(),
                        r.userTime().toMillis(),
                        r.systemTime().toMillis(),
                        r.uptime().toMillis()))
            .toList();
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(entries) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("records of strings and numbers always serialize", e);
    }
  }

  /**
   * A size in at most four digits and a binary unit, as vserver-stat shortens it: {@code 512 },
   * {@code 12.3M}, {@code 4G} (the tenth is left out when it is 0; bytes carry a blank as unit).
   */
  static String memory(long bytes) {
    long value = bytes;
    long tenth = 0;
    int unit = 0;
    while (value >= 1000 && unit < UNITS.length - 1) {
      tenth = (value % 1024) * 10 / 1024;
      value /= 1024;
      unit++;
    }
    value = Math.min(value, 9999);
    return value + (tenth != 0 && value < 1000 ? "." + tenth : "") + UNITS[unit];
  }

  /**
   * A duration as vserver-stat shortens it, most significant units first: {@code 0m00s20} (minutes,
   * seconds, hundredths), {@code 2h03m12}, {@code 5d07h45}, {@code 3y012d07}.
   */
  static String time(Duration duration) {
    long ms = duration.toMillis();
    long s = ms / 1000;
    long days = s / 86400;
    long hours = s / 3600 % 24;
    long minutes = s / 60 % 60;
    if (days > 999 * 999) {
      return "INVALID";
    } else if (days > 999) {
      return "%dy%02dd%02d".formatted(days / 365, days % 365, hours);
    } else if (days > 0) {
      return "%dd%02dh%02d".formatted(days, hours, minutes);
    } else if (hours > 0) {
      return "%dh%02dm%02d".formatted(hours, minutes, s % 60);
    }
    return "%dm%02ds%02d".formatted(minutes, s % 60, ms % 1000 / 10);
  }
}
