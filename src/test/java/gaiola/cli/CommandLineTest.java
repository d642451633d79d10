package gaiola.cli;

import gaiola.host.SystemProcessRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Runs command lines through picocli's execute() with captured output and a private root. */
abstract class CommandLineTest {
  @TempDir Path root;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  /** One command line; {@link #out} and {@link #err} then hold what it printed. */
  int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CliContext context =
        new CliContext(new PrintWriter(out, true), new PrintWriter(err, true),
            Map.of("GAIOLA_ROOT", root.toString()), new SystemProcessRunner());
    return Main.run(context, args);
  }
}
