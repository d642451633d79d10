package gaiola.host;

import gaiola.error.HostException;
import gaiola.error.UnsupportedHostException;
import java.util.function.Consumer;

/**
 * Runs host programs. The one door through which Gaiola starts runc, ip, catatonit or debootstrap,
 * so that unit tests can swap it for a fake.
 */
public interface ProcessRunner {
  /**
   * Runs the command to its end and returns what it printed; a non-zero exit becomes a {@link
   * HostException} naming the command and quoting its stderr.
   */
  Completion run(Command command) throws HostException, UnsupportedHostException;

  /** Runs the command to its end and returns how it ended, whatever the status. */
  Completion probe(Command command) throws HostException, UnsupportedHostException;

  /**
   * Like {@link #probe}, and hands each line of stdout to {@code lines} as it is printed, for
   * progress. A JVM interrupted meanwhile (Ctrl-C, SIGTERM) ends the program (SIGTERM) and waits
   * for it before its roll-backs run, so that none undoes what the program still works on.
   */
  default Completion stream(Command command, Consumer<String> lines)
      throws HostException, UnsupportedHostException {
    Completion c = probe(command);
    c.stdout().lines().forEach(lines);
    return c;
  }

  /**
   * Runs the command with this process's own stdin, stdout and stderr (a terminal, for `enter`)
   * and returns its exit status, which is the caller's result.
   */
  int runAttached(Command command) throws HostException, UnsupportedHostException;

  /**
   * Starts the command with its stdin, stdout and stderr as pipes to the caller, who owns the
   * process from then on: it feeds and drains the pipes, waits for it and ends it (the daemon's
   * streamed exec).
   */
  Process startPiped(Command command) throws HostException, UnsupportedHostException;
}
