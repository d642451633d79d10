package gaiola.proc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code vps}: the host's process list with the context of each process. Columns are those of
 * {@code ps} plus util-vserver's context number and name, and the pid inside the guest: {@code PID
 * CONTEXT NAME GPID USER STAT VSZ RSS TIME COMMAND} (VSZ and RSS in KiB, as ps shows them).
 */
public final class Vps {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] HEADER = {
    "PID", "CONTEXT", "NAME", "GPID", "USER", "STAT", "VSZ", "RSS", "TIME", "COMMAND"
  };
  // columns printed flush right, as ps aligns numbers
  private static final boolean[] RIGHT = {
    true, true, false, true, false, false, true, true, true, false
  };

  /** One process in {@code --json} output; sizes in bytes, CPU time in milliseconds. */
  public record Entry(
      long pid,
      long ppid,
      Integer context,
      String name,
      long guestPid,
      long uid,
      String user,
      String state,
      long vszBytes,
      long rssBytes,
      long cpuMillis,
      String startTime,
      String comm,
      List<String> argv,
      String command) {}

  private Vps() {}

  /** The processes to show: all of them, or those of one guest (or {@code host}) by name. */
  public static List<ContextProcess> select(ContextMap map, Optional<String> guestName) {
    return map.processes().stream()
        .filter(p -> guestName.isEmpty() || guestName.get().equals(p.name()))
        .toList();
  }

  /** The table as text, a header line and one line per process. */
  public static String text(List<ContextProcess> processes) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ContextProcess cp : processes) {
      ProcessInfo p = cp.process();
      rows.add(
          new String[] {
            Long.toString(p.pid()),
            cp.contextLabel(),
            cp.name(),
            Long.toString(cp.guestPid()),
            p.userLabel(),
            String.valueOf(p.state()),
            Long.toString(p.vszBytes() / 1024),
            Long.toString(p.rssBytes() / 1024),
            cpuTime(p.cpuTime()),
            p.commandLine()
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        boolean last = i == row.length - 1;
        String cell = last ? row[i] : pad(row[i], widths[i], RIGHT[i]);
        out.append(cell).append(last ? "\n" : " ");
      }
    }
    return out.toString();
  }

  /** The processes as a JSON array of {@link Entry}. */
  public static String json(List<ContextProcess> processes) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(entries(processes)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("records of strings and numbers always serialize", e);
    }
  }

  /** The processes as JSON records, for callers that embed them in a larger document. */
  public static List<Entry> entries(List<ContextProcess> processes) {
    return processes.stream().map(Vps::entry).toList();
  }

  private static Entry entry(ContextProcess cp) {
    ProcessInfo p = cp.process();
    Integer context = cp.context() == ContextMap.OTHER_CONTEXT ? null : cp.context();
    return new Entry(
        p.pid(),
        p.ppid(),
        context,
        cp.name(),
        cp.guestPid(),
        p.uid(),
        p.user().orElse(null),
        String.valueOf(p.state()),
        p.vszBytes(),
        p.rssBytes(),
        p.cpuTime().toMillis(),
        p.startTime().toString(),
        p.comm(),
        p.argv(),
        p.commandLine());
  }

  /** CPU time as ps prints it: {@code HH:MM:SS}, or {@code D-HH:MM:SS} from one day on. */
  static String cpuTime(Duration time) {
    long s = time.toSeconds();
    String clock = "%02d:%02d:%02d".formatted(s / 3600 % 24, s / 60 % 60, s % 60);
    return s >= 86400 ? (s / 86400) + "-" + clock : clock;
  }

  private static String pad(String cell, int width, boolean right) {
    String spaces = " ".repeat(width - cell.length());
    return right ? spaces + cell : cell + spaces;
  }
}
