package gaiola.cli;

import static org.assertj.core.api.Assertions.assertThat;

import gaiola.host.SystemProcessRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** Main builds only the command a line names; help and mistakes still see every command. */
class CommandSelectionTest {
  @TempDir Path root;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  CliContext context() {
    return new CliContext(new PrintWriter(out, true), new PrintWriter(err, true),
        Map.of("GAIOLA_ROOT", root.toString()), new SystemProcessRunner());
  }

  @Test
  void theRequestedCommandIsTheFirstWordThatIsNoGlobalOption() {
    assertThat(GaiolaCommand.requestedCommand("vserver", "vs01", "start")).contains("vserver");
    assertThat(GaiolaCommand.requestedCommand("--root", "/tmp/r", "vps")).contains("vps");
    assertThat(GaiolaCommand.requestedCommand("--root=/tmp/r", "-v", "--debug", "list")).contains("list");
    assertThat(GaiolaCommand.requestedCommand("--help")).isEmpty();
    assertThat(GaiolaCommand.requestedCommand()).isEmpty();
  }

  @Test
  void everyCommandIsListedUnderItsOwnName() {
    GaiolaCommand.COMMANDS.forEach(
        (name, cls) -> assertThat(cls.getAnnotation(Command.class).name()).as(cls.getName()).isEqualTo(name));
  }

  @Test
  void aNamedCommandIsTheOnlyOneBuilt() {
    var cli = Main.commandLine(context(), Optional.of("vps"));
    assertThat(cli.getSubcommands().keySet()).containsExactly("vps");
  }

  @Test
  void helpAndUnknownCommandsSeeThemAll() {
    assertThat(Main.commandLine(context(), Optional.empty()).getSubcommands().keySet())
        .containsExactlyElementsOf(GaiolaCommand.COMMANDS.keySet());
    assertThat(Main.commandLine(context(), Optional.of("nosuch")).getSubcommands().keySet())
        .containsExactlyElementsOf(GaiolaCommand.COMMANDS.keySet());
    assertThat(Main.run(context(), "--help")).isZero();
    assertThat(out.toString()).contains("vserver", "vserver-stat", "check");
    assertThat(Main.run(context(), "nosuch")).isEqualTo(2);
    assertThat(err.toString()).contains("nosuch");
  }

  @Test
  void globalOptionsReachTheSelectedCommand() {
    assertThat(Main.run(context(), "--root", root.toString(), "list")).isZero();
    assertThat(Main.run(context(), "list", "--root", root.toString())).isZero();
  }
}
