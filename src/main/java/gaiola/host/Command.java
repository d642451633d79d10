package gaiola.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A program to run on the host: its argument vector and where its standard streams go.
 *
 * @param argv the program and its arguments
 * @param output when present, stdout and stderr are appended to this file instead of captured;
 *     needed when the program leaves a daemon behind that inherits them (runc create, rc scripts)
 * @param input bytes to feed on stdin; empty means /dev/null
 */
public record Command(List<String> argv, Optional<Path> output, Optional<byte[]> input) {
  public Command {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    output = output == null ? Optional.empty() : output;
    input = input == null ? Optional.empty() : input;
  }

  public static Command of(List<String> argv) {
    return new Command(argv, Optional.empty(), Optional.empty());
  }

  public static Command of(String... argv) {
    return of(List.of(argv));
  }

  public Command withOutput(Path file) {
    return new Command(argv, Optional.of(file), input);
  }

  /** The command as a user could type it, for messages. */
  public String display() {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      if (!b.isEmpty()) {
        b.append(' ');
      }
      b.append(a.isEmpty() || a.matches(".*[\\s'\"$\\\\].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
    }
    return b.toString();
  }
}
