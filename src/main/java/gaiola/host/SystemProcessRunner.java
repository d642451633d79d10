package gaiola.host;

import gaiola.error.HostException;
import gaiola.error.UnsupportedHostException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The real {@link ProcessRunner}, on {@link ProcessBuilder}. */
public final class SystemProcessRunner implements ProcessRunner {
  private static final Path DEV_NULL = Path.of("/dev/null");

  private final boolean spawnDirectly;

  public SystemProcessRunner() {
    this(false);
  }

  /**
   * With {@code spawnDirectly} (the daemon), a program whose output goes to a file and that reads
   * nothing (runc starting a guest) is launched through {@link Spawn}, without the JDK's helper.
   */
  public SystemProcessRunner(boolean spawnDirectly) {
    this.spawnDirectly = spawnDirectly;
    if (spawnDirectly) {
      // Off the daemon's way to its socket; a start meanwhile waits for the linking.
      Thread.ofVirtual().start(Spawn::prepare);
    }
  }

  @Override
  public Completion run(Command command) throws HostException, UnsupportedHostException {
    Completion c = probe(command);
    if (c.exitStatus() != 0) {
      throw new HostException(failureMessage(command, c));
    }
    return c;
  }

  /** "'runc delete vs01' failed (exit 1): container does not exist" — the last stderr line. */
  public static String failureMessage(Command command, Completion c) {
    String said = lastLine(c.stderr().isBlank() ? c.stdout() : c.stderr());
    return "'" + command.display() + "' failed (exit " + c.exitStatus() + ")"
        + (said.isEmpty() ? "" : ": " + said);
  }

  static String lastLine(String text) {
    String t = text.strip();
    int nl = t.lastIndexOf('\n');
    return nl < 0 ? t : t.substring(nl + 1).strip();
  }

  @Override
  public Completion probe(Command command) throws HostException, UnsupportedHostException {
    if (spawnDirectly && command.output().isPresent() && command.input().isEmpty()
        && command.argv().getFirst().startsWith("/") && Files.isExecutable(Path.of(command.argv().getFirst()))) {
      return new Completion(Spawn.run(command.argv(), command.output().get()), "", "");
    }
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    if (command.input().isEmpty()) {
      pb.redirectInput(DEV_NULL.toFile());
    }
    command
        .output()
        .ifPresent(
            f -> {
              pb.redirectOutput(ProcessBuilder.Redirect.appendTo(f.toFile()));
              pb.redirectError(ProcessBuilder.Redirect.appendTo(f.toFile()));
            });
    Process p = start(command, pb);
    try {
      if (command.input().isPresent()) {
        try (OutputStream in = p.getOutputStream()) {
          in.write(command.input().get());
        }
      }
      if (command.output().isPresent()) {
        return new Completion(p.waitFor(), "", "");
      }
      // Read stderr on the side so that neither pipe can fill up and stall the program.
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      String out = drain(p.getInputStream());
      int status = p.waitFor();
      return new Completion(status, out, err.join());
    } catch (IOException | UncheckedIOException e) {
      throw new HostException("'" + command.display() + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new HostException("'" + command.display() + "' interrupted");
    }
  }

  @Override
  public Completion stream(Command command, Consumer<String> lines)
      throws HostException, UnsupportedHostException {
    ProcessBuilder pb = new ProcessBuilder(command.argv()).redirectInput(DEV_NULL.toFile());
    Process p = start(command, pb);
    Thread hook =
        new Thread(
            () -> {
              p.destroy();
              try {
                p.waitFor();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "gaiola-stop-" + Path.of(command.argv().getFirst()).getFileName());
    boolean hooked = addHook(hook);
    try {
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      StringBuilder out = new StringBuilder();
      try (var reader =
          new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          out.append(line).append('\n');
          lines.accept(line);
        }
      }
      int status = p.waitFor();
      return new Completion(status, out.toString(), err.join());
    } catch (IOException | UncheckedIOException e) {
      throw new HostException("'" + command.display() + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new HostException("'" + command.display() + "' interrupted");
    } finally {
      if (hooked) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // Shutting down: the hook runs and finds the program ended.
        }
      }
    }
  }

  private static boolean addHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  @Override
  public int runAttached(Command command) throws HostException, UnsupportedHostException {
    Process p = start(command, new ProcessBuilder(command.argv()).inheritIO());
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new HostException("'" + command.display() + "' interrupted");
    }
  }

  @Override
  public Process startPiped(Command command) throws HostException, UnsupportedHostException {
    return start(command, new ProcessBuilder(command.argv()));
  }

  private static Process start(Command command, ProcessBuilder pb)
      throws HostException, UnsupportedHostException {
    String program = command.argv().getFirst();
    try {
      return pb.start();
    } catch (IOException e) {
      if (!program.contains("/") && Programs.locate(program).isEmpty()
          || program.contains("/") && !Files.isExecutable(Path.of(program))) {
        throw Programs.missing(program);
      }
      throw new HostException("cannot run '" + command.display() + "': " + e.getMessage(), e);
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
