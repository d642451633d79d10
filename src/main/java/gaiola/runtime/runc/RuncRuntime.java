package gaiola.runtime.runc;

import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.Command;
import gaiola.host.Completion;
import gaiola.host.ProcessRunner;
import gaiola.runtime.FlatJson;
import gaiola.runtime.OciRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link OciRuntime} on the runc binary, with Gaiola's own state directory. */
public final class RuncRuntime implements OciRuntime {
  private final ProcessRunner runner;
  private final Path root;
  private final String runc;

  /**
   * @param root runc's {@code --root}: Gaiola's own, so containers of other tools are never seen
   * @param runc the runc binary
   */
  public RuncRuntime(ProcessRunner runner, Path root, String runc) {
    this.runner = runner;
    this.root = root;
    this.runc = runc;
  }

  private List<String> base(String... verbAndArgs) {
    List<String> argv = new ArrayList<>(List.of(runc, "--root", root.toString()));
    argv.addAll(List.of(verbAndArgs));
    return argv;
  }

  @Override
  public long create(String id, Path bundle, Path console) throws GaiolaException {
    return launch("create", id, bundle, console);
  }

  @Override
  public long run(String id, Path bundle, Path console) throws GaiolaException {
    return launch("run", id, bundle, console);
  }

  /** {@code runc create} or {@code runc run -d}: both leave the init running and write its PID. */
  private long launch(String verb, String id, Path bundle, Path console) throws GaiolaException {
    Path pidFile = bundle.resolve("init.pid");
    Path log = bundle.resolve("runc.log");
    try {
      Files.deleteIfExists(pidFile);
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new HostException("cannot prepare " + bundle + ": " + e.getMessage(), e);
    }
    List<String> argv = new ArrayList<>(List.of(runc, "--root", root.toString()));
    argv.addAll(List.of("--log", log.toString(), "--log-format", "json"));
    argv.add(verb);
    if (verb.equals("run")) {
      argv.add("--detach");
    }
    argv.addAll(List.of("--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id));
    Command command = Command.of(argv).withOutput(console);
    // The init inherits runc's stdio, so runc must write to a file, not to a pipe we would wait on.
    Completion c = runner.probe(command);
    if (c.exitStatus() != 0) {
      throw new HostException(
          "'runc " + verb + " " + id + "' failed: " + lastError(log).orElse("exit " + c.exitStatus()));
    }
    try {
      return Long.parseLong(Files.readString(pidFile).strip());
    } catch (IOException | NumberFormatException e) {
      throw new HostException("runc " + verb + " " + id + " wrote no usable pid file " + pidFile, e);
    }
  }

  /** The last error runc logged, in words. */
  static Optional<String> lastError(Path log) {
    try {
      if (!Files.exists(log)) {
        return Optional.empty();
      }
      String last = null;
      for (String line : Files.readAllLines(log)) {
        Map<String, String> n = FlatJson.read(line);
        if ("error".equals(n.get("level"))) {
          last = n.get("msg");
        }
      }
      return Optional.ofNullable(last);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void start(String id) throws GaiolaException {
    runner.run(Command.of(base("start", id)));
  }

  @Override
  public int execLogged(String id, List<String> argv, Path log) throws GaiolaException {
    List<String> cmd = base("exec", id);
    cmd.addAll(argv);
    return runner.probe(Command.of(cmd).withOutput(log)).exitStatus();
  }

  @Override
  public Completion execCaptured(String id, List<String> argv) throws GaiolaException {
    List<String> cmd = base("exec", id);
    cmd.addAll(argv);
    return runner.probe(Command.of(cmd));
  }

  @Override
  public int execAttached(String id, List<String> argv, boolean terminal, String user)
      throws GaiolaException {
    List<String> cmd = base("exec");
    if (terminal) {
      cmd.add("--tty");
    }
    if (user != null) {
      cmd.addAll(List.of("--user", user));
    }
    cmd.addAll(List.of("--env", "TERM=" + System.getenv().getOrDefault("TERM", "linux")));
    cmd.add(id);
    cmd.addAll(argv);
    return runner.runAttached(Command.of(cmd));
  }

  @Override
  public Process execPiped(String id, List<String> argv, String user, List<String> env, Path pidFile)
      throws GaiolaException {
    List<String> cmd = base("exec", "--pid-file", pidFile.toString());
    if (user != null) {
      cmd.addAll(List.of("--user", user));
    }
    for (String e : env) {
      cmd.addAll(List.of("--env", e));
    }
    cmd.add(id);
    cmd.addAll(argv);
    return runner.startPiped(Command.of(cmd));
  }

  @Override
  public void kill(String id, int signal, boolean all) throws GaiolaException {
    List<String> cmd = base("kill");
    if (all) {
      cmd.add("--all");
    }
    cmd.addAll(List.of(id, Integer.toString(signal)));
    runner.run(Command.of(cmd));
  }

  @Override
  public void delete(String id, boolean force) throws GaiolaException {
    List<String> cmd = base("delete");
    if (force) {
      cmd.add("--force");
    }
    cmd.add(id);
    runner.run(Command.of(cmd));
  }

  @Override
  public Optional<ContainerState> state(String id) throws GaiolaException {
    if (!Files.isDirectory(root.resolve(id))) {
      return Optional.empty();
    }
    Completion c = runner.probe(Command.of(base("state", id)));
    if (c.exitStatus() != 0) {
      return Optional.empty();
    }
    try {
      Map<String, String> n = FlatJson.read(c.stdout());
      return Optional.of(
          new ContainerState(id, n.getOrDefault("status", "unknown"), Long.parseLong(n.getOrDefault("pid", "0"))));
    } catch (IOException | NumberFormatException e) {
      throw new HostException("runc state " + id + " printed no usable JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list() throws GaiolaException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    Completion c = runner.run(Command.of(base("list", "--quiet")));
    return c.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
