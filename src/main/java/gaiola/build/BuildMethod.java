package gaiola.build;

import gaiola.error.InvalidInputException;
import java.util.List;

/** How a guest's root tree is made ({@code vserver NAME build -m METHOD}). */
public sealed interface BuildMethod permits BuildMethod.Skeleton, BuildMethod.Busybox {
  /** The empty skeleton of directories, to be filled by the user (e.g. from a stage3 tarball). */
  record Skeleton() implements BuildMethod {}

  /** A minimal, working Linux guest made offline from the host's static busybox. */
  record Busybox() implements BuildMethod {}

  /** The name given to {@code -m}. */
  default String name() {
    return switch (this) {
      case Skeleton s -> "skeleton";
      case Busybox b -> "busybox";
    };
  }

  /** Parses {@code -m METHOD} and the method's own arguments (after {@code --}). */
  static BuildMethod parse(String method, List<String> args) throws InvalidInputException {
    BuildMethod m =
        switch (method) {
          case "skeleton" -> new Skeleton();
          case "busybox" -> new Busybox();
          default ->
              throw new InvalidInputException(
                  "build method '" + method + "' is not known",
                  "use -m skeleton or -m busybox");
        };
    if (!args.isEmpty()) {
      throw new InvalidInputException(
          "build method '" + method + "' takes no arguments, got '" + String.join(" ", args) + "'",
          "remove what follows '--'");
    }
    return m;
  }
}
