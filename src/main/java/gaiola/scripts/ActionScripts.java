package gaiola.scripts;

import gaiola.config.GuestConfig;
import gaiola.config.HostLayout;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.Command;
import gaiola.host.Completion;
import gaiola.host.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The administrator's scripts around a guest's start and stop, run on the host: {@code
 * scripts/PHASE} and the executables in {@code scripts/PHASE.d/} (in name order), else the same
 * under {@code .defaults/scripts/}. Each gets util-vserver's arguments {@code (PHASE, NAME)}, the
 * guest's name, context and phase in its environment, and appends its output to the guest's log.
 */
public final class ActionScripts {
  private final HostLayout layout;
  private final ProcessRunner runner;

  public ActionScripts(HostLayout layout, ProcessRunner runner) {
    this.layout = layout;
    this.runner = runner;
  }

  /** The scripts of a phase for this guest, in the order they run. */
  public List<Path> find(GuestConfig config, Phase phase) throws GaiolaException {
    List<Path> own = scriptsIn(layout.configDir(config.name()).resolve("scripts"), phase);
    return own.isEmpty() ? scriptsIn(layout.defaults().resolve("scripts"), phase) : own;
  }

  static List<Path> scriptsIn(Path dir, Phase phase) throws HostException {
    List<Path> found = new ArrayList<>();
    Path file = dir.resolve(phase.fileName());
    if (Files.isRegularFile(file)) {
      found.add(file);
    }
    Path d = dir.resolve(phase.fileName() + ".d");
    if (Files.isDirectory(d)) {
      try (Stream<Path> s = Files.list(d)) {
        // Editors' backups and disabled scripts (no x bit) are skipped, as run-parts does.
        s.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
            .filter(p -> !p.getFileName().toString().endsWith("~"))
            .sorted()
            .forEach(found::add);
      } catch (IOException e) {
        throw new HostException("cannot read " + d + ": " + e.getMessage(), e);
      }
    }
    return found;
  }

  /**
   * Runs the phase's scripts one after the other; the first that fails ends the run.
   *
   * @return the failure, naming the script and its exit status, or empty when all succeeded
   */
  public Optional<String> run(GuestConfig config, Phase phase, Path log) throws GaiolaException {
    for (Path script : find(config, phase)) {
      if (!Files.isExecutable(script)) {
        return Optional.of(script + " is not executable; chmod +x it or remove it");
      }
      Path cwd = phase.inConfigDir() ? layout.configDir(config.name()) : config.vdir();
      try {
        Files.createDirectories(log.getParent());
      } catch (IOException e) {
        throw new HostException("cannot create " + log.getParent() + ": " + e.getMessage(), e);
      }
      Completion c = runner.probe(command(config, phase, script, cwd).withOutput(log));
      if (c.exitStatus() != 0) {
        return Optional.of(script + " failed (exit " + c.exitStatus() + "); see " + log);
      }
    }
    return Optional.empty();
  }

  /** {@code env -C DIR VAR=... SCRIPT PHASE NAME}: the runner has no working directory of its own. */
  Command command(GuestConfig config, Phase phase, Path script, Path cwd) {
    List<String> argv = new ArrayList<>(List.of("env", "-C", cwd.toString()));
    argv.addAll(environment(config, phase.fileName()));
    argv.addAll(List.of(script.toString(), phase.fileName(), config.name().value()));
    return Command.of(argv);
  }

  /** What every script is told: Gaiola's names, util-vserver's and OpenVZ's. */
  public List<String> environment(GuestConfig config, String phase) {
    String name = config.name().value();
    String ctx = Integer.toString(config.context().value());
    return List.of(
        "GAIOLA_NAME=" + name,
        "GAIOLA_CONTEXT=" + ctx,
        "GAIOLA_PHASE=" + phase,
        "VSERVER_NAME=" + name,
        "VSERVER_DIR=" + layout.configDir(config.name()),
        "VEID=" + ctx,
        "VE_ROOT=" + config.vdir());
  }

  /**
   * OpenVZ's {@code start} and {@code stop} scripts, which run inside the guest: the script's text,
   * when there is one, to hand to the guest's shell.
   */
  public Optional<String> inGuest(GuestConfig config, String phase) throws GaiolaException {
    Path file = layout.configDir(config.name()).resolve("scripts").resolve(phase);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      StringBuilder b = new StringBuilder();
      for (String v : environment(config, phase)) {
        if (!v.startsWith("VE_ROOT=") && !v.startsWith("VSERVER_DIR=")) {
          b.append("export ").append(v).append('\n');
        }
      }
      return Optional.of(b + Files.readString(file));
    } catch (IOException e) {
      throw new HostException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
