package gaiola.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gaiola.config.HostLayout;
import gaiola.guest.Guests;
import gaiola.guest.Reporter;
import gaiola.host.ProcessRunner;
import gaiola.host.SystemProcessRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every command shares: the output streams, the global options and, built on first use, the
 * engine for the chosen root.
 */
public final class CliContext {
  /** Made on first use: databind's start-up is too slow to pay on every command. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private final ProcessRunner runner;
  Path root;
  boolean verbose;
  boolean debug;
  boolean noDaemon;
  private Guests guests;
  /** The writer on the process's own stderr; captured output (tests) is never a terminal. */
  private PrintWriter systemErr;

  public CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, ProcessRunner runner) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.runner = runner;
  }

  public static CliContext system() {
    CliContext c =
        new CliContext(
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true),
            System.getenv(),
            new SystemProcessRunner());
    c.systemErr = c.err;
    return c;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  /** The host layout: {@code --root}, else {@code GAIOLA_ROOT}, else the real paths. */
  public HostLayout layout() {
    if (root != null) {
      return new HostLayout(root);
    }
    String fromEnv = env.get("GAIOLA_ROOT");
    return fromEnv == null || fromEnv.isBlank() ? HostLayout.SYSTEM : new HostLayout(Path.of(fromEnv));
  }

  public Guests guests() {
    if (guests == null) {
      guests = new Guests(layout(), runner, reporter());
    }
    return guests;
  }

  Reporter reporter() {
    return new Reporter() {
      @Override
      public void note(String text) {
        if (verbose) {
          err.println("gaiola: " + text);
        }
      }

      @Override
      public void warn(String text) {
        err.println("gaiola: warning: " + text);
      }

      @Override
      public void progress(String text) {
        if (stderrIsTerminal()) {
          // One line, rewritten in place and cut to a usual terminal's width.
          String line = text.length() > 79 ? text.substring(0, 79) : text;
          err.print("\r" + line + "\033[K");
          err.flush();
        }
      }

      @Override
      public gaiola.storage.Progress meter(String what) {
        return new ProgressBar(what, err, stderrIsTerminal());
      }
    };
  }

  /** True when stderr is a terminal (the file behind fd 2 is a tty or a pty). */
  boolean stderrIsTerminal() {
    if (err != systemErr) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  void printJson(Object value) {
    try {
      out.println(Json.MAPPER.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The host program runner (the daemon builds its own engines on it). */
  ProcessRunner runner() {
    return runner;
  }

  /**
   * The daemon's client when a daemon runs for this root, unless {@code --no-daemon} (or {@code
   * GAIOLA_NO_DAEMON=1}) asks for the engine in-process.
   */
  java.util.Optional<gaiola.daemon.DaemonClient> daemon() throws gaiola.error.GaiolaException {
    if (noDaemon || "1".equals(env.get("GAIOLA_NO_DAEMON"))) {
      return java.util.Optional.empty();
    }
    return gaiola.daemon.DaemonClient.find(layout());
  }

  /**
   * A command run inside through the daemon. Its bytes use this process's own stdin, stdout and
   * stderr, as the in-process exec's runc inherits them, never the (possibly captured) writers.
   */
  int execThrough(gaiola.daemon.DaemonClient daemon, gaiola.config.GuestName name, String user, java.util.List<String> argv)
      throws gaiola.error.GaiolaException {
    out.flush();
    err.flush();
    return daemon.exec(name.value(), argv, user, System.in, System.out, System.err);
  }

  /** Prints the warnings that came back with a daemon's answer, as the engine prints its own. */
  void warnings(gaiola.daemon.DaemonClient.Reply reply) {
    for (String w : reply.warnings()) {
      err.println("gaiola: warning: " + w);
    }
  }
}
