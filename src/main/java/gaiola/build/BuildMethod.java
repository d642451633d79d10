package gaiola.build;

import gaiola.error.InvalidInputException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How a guest's root tree is made ({@code vserver NAME build -m METHOD}). */
public sealed interface BuildMethod permits BuildMethod.Skeleton, BuildMethod.Busybox, BuildMethod.Debootstrap, BuildMethod.Template,
        BuildMethod.Clone {
  /** The empty skeleton of directories, to be filled by the user (e.g. from a stage3 tarball). */
  record Skeleton() implements BuildMethod {}

  /** A minimal, working Linux guest made offline from the host's static busybox. */
  record Busybox() implements BuildMethod {}

  /**
   * A Debian (or derivative) guest from Debian's {@code debootstrap}; see {@link
   * DebootstrapArguments} for the syntax, checks and defaults.
   *
   * @param suite {@code -d}: a suite or codename with a debootstrap script (bookworm, stable, sid)
   * @param variant {@code --variant}: minbase, buildd, fakechroot; empty for debootstrap's default
   * @param mirror {@code -m/--mirror}; empty: the host's apt configuration decides
   * @param arch {@code --arch=} among the extra arguments; empty: the host's architecture
   * @param include {@code --include=} packages, merged into one list
   * @param exclude {@code --exclude=} packages
   * @param options the other extra debootstrap options, each {@code --name[=value]}
   * @param cache {@code --cache DIR}: the download cache instead of the host layout's
   */
  record Debootstrap(
      String suite,
      Optional<String> variant,
      Optional<URI> mirror,
      Optional<String> arch,
      List<String> include,
      List<String> exclude,
      List<String> options,
      Optional<Path> cache)
      implements BuildMethod {
    public Debootstrap {
      include = List.copyOf(include);
      exclude = List.copyOf(exclude);
      options = List.copyOf(options);
    }
  }

  /**
   * Unpacked from template archives ({@code -t NAME|FILE}, repeatable: later archives are unpacked
   * over earlier ones, as util-vserver's {@code -m template} does).
   */
  record Template(List<String> templates) implements BuildMethod {
    public Template {
      templates = List.copyOf(templates);
    }
  }

  /**
   * A copy of a stopped guest's tree ({@code --source GUEST}); {@code layered} ({@code --layered}):
   * a root over a hard-link copy of the source's own read-only tree instead of a full copy.
   */
  record Clone(gaiola.config.GuestName source, boolean layered) implements BuildMethod {
    /** A full copy. */
    public Clone(gaiola.config.GuestName source) {
      this(source, false);
    }
  }

  /** The name given to {@code -m}. */
  default String name() {
    return switch (this) {
      case Skeleton s -> "skeleton";
      case Busybox b -> "busybox";
      case Debootstrap d -> "debootstrap";
      case Template t -> "template";
      case Clone c -> "clone";
    };
  }

  /** Parses {@code -m METHOD} and the method's own arguments (after {@code --}). */
  static BuildMethod parse(String method, List<String> args) throws InvalidInputException {
    BuildMethod m =
        switch (method) {
          case "skeleton" -> new Skeleton();
          case "busybox" -> new Busybox();
          case "debootstrap" -> DebootstrapArguments.parse(args);
          case "template" -> CopyArguments.template(args);
          case "clone" -> CopyArguments.clone(args);
          default ->
              throw new InvalidInputException(
                  "build method '" + method + "' is not known",
                  "use -m skeleton, -m busybox, -m debootstrap, -m template or -m clone");
        };
    if ((m instanceof Skeleton || m instanceof Busybox) && !args.isEmpty()) {
      throw new InvalidInputException(
          "build method '" + method + "' takes no arguments, got '" + String.join(" ", args) + "'",
          "remove what follows '--'");
    }
    return m;
  }
}
