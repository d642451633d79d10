package gaiola.build;

import gaiola.config.GuestConfig;
import gaiola.config.InitStyle;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.host.Command;
import gaiola.host.Completion;
import gaiola.host.ProcessRunner;
import gaiola.host.Programs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code build -m debootstrap}: a Debian guest from Debian's {@code debootstrap}, through the
 * download cache ({@link DebootstrapCache}), then made bootable in a guest ({@link
 * GuestAdjustments}). debootstrap's progress lines go to the progress sink; its failure becomes one
 * error with its own message, and the caller's roll-back removes the tree.
 */
public final class DebianBootstrap {
  private final ProcessRunner runner;
  private final Path cacheRoot;
  private final Path etcApt;
  private final Consumer<String> progress;

  /**
   * @param cacheRoot Gaiola's cache ({@code /var/cache/gaiola}); {@code --cache} replaces its
   *     {@code debootstrap} directory
   * @param etcApt the host's apt configuration ({@code /etc/apt}), for the default mirror
   */
  public DebianBootstrap(ProcessRunner runner, Path cacheRoot, Path etcApt, Consumer<String> progress) {
    this.runner = runner;
    this.cacheRoot = cacheRoot;
    this.etcApt = etcApt;
    this.progress = progress;
  }

  /**
   * The packages an init style needs beyond the variant's: sysvinit as {@code /sbin/init} for
   * plain, sysv-rc's {@code /etc/init.d/rc} for sysv. Both take sysvinit-core (which brings
   * sysv-rc), so that one cached package set serves both and a guest can change its style.
   */
  public static List<String> packagesFor(InitStyle style) throws InvalidInputException {
    return switch (style) {
      case PLAIN, SYSV -> List.of("sysvinit-core");
      case GENTOO, ARCH, MINIT ->
          throw new InvalidInputException(
              "init style '" + style.fileValue() + "' cannot boot a Debian guest",
              "use --initstyle sysv or --initstyle plain with -m debootstrap");
    };
  }

  /** Fills the empty {@code vdir}. */
  public void populate(Path vdir, GuestConfig config, BuildMethod.Debootstrap d)
      throws IOException, GaiolaException {
    TreeSet<String> include = new TreeSet<>(d.include());
    include.addAll(packagesFor(config.init().style()));
    Path debootstrap = Programs.require("debootstrap");
    URI mirror = d.mirror().isPresent() ? d.mirror().get() : hostMirror(d.suite());
    String arch = d.arch().isPresent() ? d.arch().get() : hostArch();
    List<String> choice = new ArrayList<>();
    d.variant().ifPresent(v -> choice.add("--variant=" + v));
    choice.add("--arch=" + arch);
    choice.add("--include=" + String.join(",", include));
    if (!d.exclude().isEmpty()) {
      choice.add("--exclude=" + String.join(",", new TreeSet<>(d.exclude())));
    }
    choice.addAll(d.options());
    DebootstrapCache cache =
        new DebootstrapCache(d.cache().orElse(cacheRoot.resolve("debootstrap")), d.suite(), arch, d.variant().orElse("default"));
    List<String> key = new ArrayList<>(choice);
    key.add(mirror.toString());
    Path tarball =
        cache.tarball(
            key,
            (partial, debs, scratch) -> {
              List<String> argv = new ArrayList<>(List.of(debootstrap.toString(), "--make-tarball=" + partial, "--cache-dir=" + debs));
              argv.addAll(choice);
              argv.addAll(List.of(d.suite(), scratch.toString(), mirror.toString()));
              try {
                run(argv, scratch, d.suite() + " download");
              } catch (Interrupted e) {
                throw new HostException(e.getMessage(), "nothing was left behind");
              }
            });
    List<String> argv = new ArrayList<>(List.of(debootstrap.toString(), "--unpack-tarball=" + tarball));
    argv.addAll(choice);
    argv.addAll(List.of(d.suite(), vdir.toString(), mirror.toString()));
    try {
      run(argv, vdir, d.suite());
    } catch (HostException e) {
      DebootstrapCache.discard(tarball);
      throw e;
    } catch (Interrupted e) {
      throw new HostException(e.getMessage(), "nothing was left behind");
    }
    GuestAdjustments.apply(vdir, config);
  }

  private URI hostMirror(String suite) throws IOException, InvalidInputException {
    return AptSources.mirrorFor(suite, AptSources.read(etcApt))
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "no Debian mirror found in " + etcApt + "/sources.list or sources.list.d",
                    "give one: -- -d " + suite + " -m http://deb.debian.org/debian"));
  }

  private String hostArch() throws GaiolaException {
    return runner.run(Command.of("dpkg", "--print-architecture")).stdout().strip();
  }

  /** Runs debootstrap with progress; on failure its own message, then what its log ends with. */
  private void run(List<String> argv, Path target, String what) throws GaiolaException, Interrupted {
    List<String> said = new ArrayList<>();
    Completion c;
    try {
      c =
          runner.stream(
              Command.of(argv),
              line -> {
                if (line.startsWith("I: ")) {
                  progress.accept("debootstrap " + what + ": " + line.substring(3));
                } else if (line.startsWith("E: ") || line.startsWith("W: ")) {
                  said.add(line);
                }
              });
    } finally {
      progress.accept("");
      unmountBelow(target);
    }
    if (c.exitStatus() == 0) {
      return;
    }
    if (c.exitStatus() > 128) {
      // Ended by a signal: Ctrl-C, or our own SIGTERM when the JVM was told to stop.
      throw new Interrupted("debootstrap " + what + " was interrupted (signal " + (c.exitStatus() - 128) + ")");
    }
    List<String> errors = said.stream().filter(l -> l.startsWith("E: ")).toList();
    String message = String.join("; ", errors.isEmpty() ? said : errors);
    if (message.isEmpty()) {
      message = c.stderr().strip().lines().reduce((a, b) -> b).orElse("no message");
    }
    // debootstrap points at its log when a step inside the target failed; its end says which.
    String tail = message.contains("debootstrap.log") ? logTail(target.resolve("debootstrap/debootstrap.log")) : "";
    throw new HostException(
        "debootstrap " + what + " failed (exit " + c.exitStatus() + "): " + message
            + (tail.isEmpty() ? "" : " [debootstrap.log: " + tail + "]"),
        "nothing was left behind; check the suite and the mirror, then build again");
  }

  /** An interrupted run: the package set it used is sound and stays in the cache. */
  private static final class Interrupted extends Exception {
    Interrupted(String message) {
      super(message);
    }
  }

  /** The last lines of debootstrap's log, read before the roll-back removes it. */
  static String logTail(Path log) {
    try {
      if (!Files.isRegularFile(log)) {
        return "";
      }
      List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
      List<String> useful = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
      return String.join(" | ", useful.subList(Math.max(0, useful.size() - 3), useful.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Unmounts what a debootstrap that was killed left mounted inside its target (it mounts /proc,
   * /sys and /dev/pts there), deepest first, so that the roll-back can remove the tree.
   */
  private void unmountBelow(Path dir) throws GaiolaException {
    List<String> below = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4) {
          Path mp = Path.of(f[4].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\"));
          if (mp.startsWith(dir) && !mp.equals(dir)) {
            below.add(mp.toString());
          }
        }
      }
    } catch (IOException e) {
      throw new HostException("cannot read the mount table: " + e.getMessage(), e);
    }
    below.sort(Comparator.comparingInt(String::length).reversed());
    for (String mp : below) {
      runner.run(Command.of("umount", mp));
    }
  }
}
