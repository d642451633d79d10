package gaiola.daemon;

/**
 * A change of a guest's state, as {@code /1.0/events} streams it, one JSON object per line.
 *
 * @param type started, stopped, ended, restarting, adopted, failed
 * @param reason for ended: reboot, halt, exit, killed, stop, unknown
 * @param detail e.g. "init ended by signal 1 (SIGHUP)", or the error
 * @param exitStatus for ended, when known: the init's exit code, or 128 + the signal that killed it
 */
public record Event(
    String time, String type, String guest, String reason, String detail, Long initPid, Integer restarts,
    Integer exitStatus) {
  static Event of(String type, String guest, String reason, String detail, Long initPid, Integer restarts) {
    return new Event(java.time.Instant.now().toString(), type, guest, reason, detail, initPid, restarts, null);
  }

  static Event ended(String guest, String reason, String detail, Long initPid, Integer restarts, Integer exitStatus) {
    return new Event(java.time.Instant.now().toString(), "ended", guest, reason, detail, initPid, restarts, exitStatus);
  }
}
