package gaiola.proc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One process as {@code /proc/PID} shows it from the host, with the identity of its PID namespace
 * and its PID inside that namespace.
 *
 * @param pid the process id in the host's (the procfs') PID namespace
 * @param ppid the parent's id, 0 for the inits of the host and kthreadd
 * @param uid the real user id ({@code Uid:} of {@code status})
 * @param user the host's name for {@code uid}, if {@code /etc/passwd} has one
 * @param state the state letter of {@code stat} (R, S, D, Z, T, I, …)
 * @param vszBytes virtual memory size
 * @param rssBytes resident set size ({@code VmRSS:} of {@code status}; 0 for kernel threads)
 * @param userTime CPU time spent in user mode
 * @param systemTime CPU time spent in kernel mode
 * @param childUserTime user-mode time of reaped children (vserver-stat counts it)
 * @param childSystemTime kernel-mode time of reaped children
 * @param startTime when the process started (boot time plus {@code starttime} ticks)
 * @param ttyNr the controlling terminal's device number, 0 for none
 * @param comm the command name (at most 15 bytes; may hold spaces and parentheses)
 * @param argv the argument vector; empty for kernel threads and zombies
 * @param pidNamespace the inode of {@code ns/pid}, or {@link #UNKNOWN_NAMESPACE}
 * @param guestPid the PID inside its own namespace (last field of {@code NSpid:})
 */
public record ProcessInfo(
    long pid,
    long ppid,
    long uid,
    Optional<String> user,
    char state,
    long vszBytes,
    long rssBytes,
    Duration userTime,
    Duration systemTime,
    Duration childUserTime,
    Duration childSystemTime,
    Instant startTime,
    int ttyNr,
    String comm,
    List<String> argv,
    long pidNamespace,
    long guestPid) {

  /** The namespace of a process whose {@code ns/pid} link we may not read (needs root). */
  public static final long UNKNOWN_NAMESPACE = 0;

  public ProcessInfo {
    user = user == null ? Optional.empty() : user;
    argv = List.copyOf(argv);
  }

  /** Time on the CPU in both modes, the {@code TIME} column of ps. */
  public Duration cpuTime() {
    return userTime.plus(systemTime);
  }

  /** The user name, or the numeric uid when the host does not know it (as ps does). */
  public String userLabel() {
    return user.orElse(Long.toString(uid));
  }

  /** The command line as ps prints it: argv joined by spaces, or {@code [comm]} without argv. */
  public String commandLine() {
    if (argv.isEmpty()) {
      return state == 'Z' ? "[" + comm + "] <defunct>" : "[" + comm + "]";
    }
    StringBuilder line = new StringBuilder();
    for (String arg : argv) {
      if (!line.isEmpty()) {
        line.append(' ');
      }
      // control characters would let a process forge lines in our output
      arg.codePoints().forEach(c -> line.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
    }
    return line.toString();
  }
}
