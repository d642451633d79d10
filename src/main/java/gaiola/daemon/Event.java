package gaiola.daemon;

/**
 * A change of a guest's state, as {@code /1.0/events} streams it, one JSON object per line.
 *
 * @param type started, stopped, ended, restarting, adopted, failed
 * @param reason for ended: reboot, halt, exit, killed, stop, unknown
 * @param detail e.g. "init ended by signal 1 (SIGHUP)", or the error
 */
public record Event(
    String time, String type, String guest, String reason, String detail, Long initPid, Integer restarts) {
  static Event of(String type, String guest, String reason, String detail, Long initPid, Integer restarts) {
    return new Event(java.time.Instant.now().toString(), type, guest, reason, detail, initPid, restarts);
  }
}
