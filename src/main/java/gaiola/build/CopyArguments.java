package gaiola.build;

import gaiola.config.GuestName;
import gaiola.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code -m template} ({@code -t NAME|FILE}, repeatable) and {@code -m clone}
 * ({@code --source GUEST [--layered]}), after {@code --}, as util-vserver's build methods take them.
 */
final class CopyArguments {
  private CopyArguments() {}

  static BuildMethod.Template template(List<String> args) throws InvalidInputException {
    List<String> templates = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-t") || a.equals("--template")) {
        if (i + 1 >= args.size() || args.get(i + 1).isEmpty()) {
          throw new InvalidInputException("-t needs a template name or archive file", "e.g. -- -t debian-base");
        }
        templates.add(args.get(++i));
      } else if (a.startsWith("--template=")) {
        templates.add(a.substring(11));
      } else {
        throw new InvalidInputException(
            "-m template does not take '" + a + "'", "give -t NAME or -t FILE (repeatable) after '--'");
      }
    }
    if (templates.isEmpty()) {
      throw new InvalidInputException("-m template needs -t NAME or -t FILE", "e.g. build -m template -- -t debian-base");
    }
    return new BuildMethod.Template(templates);
  }

  static BuildMethod.Clone clone(List<String> args) throws InvalidInputException {
    GuestName source = null;
    boolean layered = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String value;
      if (a.equals("--layered")) {
        layered = true;
        continue;
      }
      if (a.equals("--source") || a.equals("-s")) {
        if (i + 1 >= args.size()) {
          throw new InvalidInputException("--source needs a guest's name", "e.g. -- --source vs01");
        }
        value = args.get(++i);
      } else if (a.startsWith("--source=")) {
        value = a.substring(9);
      } else {
        throw new InvalidInputException(
            "-m clone does not take '" + a + "'", "give --source GUEST (and --layered for an overlay clone) after '--'");
      }
      if (source != null) {
        throw new InvalidInputException("-m clone takes one --source, got a second: '" + value + "'");
      }
      source = GuestName.parse(value);
    }
    if (source == null) {
      throw new InvalidInputException("-m clone needs --source GUEST", "e.g. build -m clone -- --source vs01");
    }
    return new BuildMethod.Clone(source, layered);
  }
}
