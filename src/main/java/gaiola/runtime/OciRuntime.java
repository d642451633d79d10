package gaiola.runtime;

import gaiola.error.GaiolaException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The port to an OCI runtime (runc): the lifecycle verbs Gaiola needs, by container id. */
public interface OciRuntime {
  /** What the runtime says of a container. */
  record ContainerState(String id, String status, long pid) {
    public boolean running() {
      return status.equals("running") || status.equals("created");
    }
  }

  /**
   * OCI create: namespaces, mounts and cgroups are set up and the init waits to be started. Its
   * stdout and stderr go to {@code console}.
   *
   * @return the PID of the container's init, as the host sees it
   */
  long create(String id, Path bundle, Path console) throws GaiolaException;

  /** OCI start: the init waiting after create executes the user's program. */
  void start(String id) throws GaiolaException;

  /**
   * Create and start in one step, for a guest that needs nothing done between the two (no link to
   * move into its namespace, no pre-start script, no read-only bind to verify): one program run
   * fewer on the start path.
   *
   * @return the PID of the container's init, as the host sees it
   */
  default long run(String id, Path bundle, Path console) throws GaiolaException {
    long pid = create(id, bundle, console);
    start(id);
    return pid;
  }

  /** Runs a command inside and waits for it; its output is appended to {@code log}. */
  int execLogged(String id, List<String> argv, Path log) throws GaiolaException;

  /** Runs a command inside and returns how it ended and what it printed. */
  gaiola.host.Completion execCaptured(String id, List<String> argv) throws GaiolaException;

  /**
   * Runs a command inside with our own stdin, stdout and stderr, optionally with a new terminal.
   *
   * @param user "uid[:gid]" or a user name known to the guest, null for root
   */
  int execAttached(String id, List<String> argv, boolean terminal, String user)
      throws GaiolaException;

  /**
   * Starts a command inside with its stdin, stdout and stderr as pipes to the caller, and returns
   * the runtime's process, whose exit status is the command's. The runtime writes the host PID of
   * the command inside to {@code pidFile}, so that the caller can end it.
   *
   * @param user "uid[:gid]" as the guest knows it, null for root
   * @param env "NAME=value" entries added to the guest's environment
   */
  Process execPiped(String id, List<String> argv, String user, List<String> env, Path pidFile)
      throws GaiolaException;

  /** Sends a signal to the init, or to every process of the container. */
  void kill(String id, int signal, boolean all) throws GaiolaException;

  /** Removes a stopped container's state and cgroups; {@code force} kills it first. */
  void delete(String id, boolean force) throws GaiolaException;

  /** The container's state, or empty when the runtime does not know it. */
  Optional<ContainerState> state(String id) throws GaiolaException;

  /** The ids of every container in our runtime root. */
  List<String> list() throws GaiolaException;
}
