package gaiola.cli;

import gaiola.error.InvalidInputException;
import gaiola.template.Compression;
import gaiola.template.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gaiola template list|create|import|delete}: the template catalogue. */
@Command(
    name = "template",
    mixinStandardHelpOptions = true,
    description = "Template archives: guests are built from them with 'build -m template -- -t NAME'.",
    subcommands = {
      TemplateCommand.ListTemplates.class,
      TemplateCommand.Create.class,
      TemplateCommand.Import.class,
      TemplateCommand.Delete.class,
    })
public final class TemplateCommand implements Runnable {
  private final CliContext context;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public TemplateCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Templates of Gaiola's directory and OpenVZ's cache.")
  static final class ListTemplates implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    ListTemplates(CliContext context) {
      this.context = context;
    }

    record Row(String name, String compression, long size, String modified, String source, String file) {}

    @Override
    public Integer call() throws Exception {
      List<Row> rows = new ArrayList<>();
      for (Template t : context.guests().templates().list()) {
        rows.add(new Row(t.name(), t.compression().map(Compression::option).orElse("unknown"), t.size(),
            t.modified().toString(), t.source(), t.file().toString()));
      }
      if (json) {
        context.printJson(rows);
        return 0;
      }
      context.out().printf("%-32s %-7s %10s %-7s %s%n", "NAME", "COMPR", "SIZE", "SOURCE", "FILE");
      for (Row r : rows) {
        context.out().printf("%-32s %-7s %10s %-7s %s%n", r.name(), r.compression(), ProgressBar.bytes(r.size()), r.source(), r.file());
      }
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Pack a stopped guest's tree into a new template.")
  static final class Create implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The template's name.")
    String name;

    @Option(names = "--from", required = true, paramLabel = "GUEST", description = "The guest whose tree is packed.")
    String from;

    @Option(names = "--force", description = "Pack a running guest too.")
    boolean force;

    @Option(names = "--compression", paramLabel = "C", description = "zst (default), gz, xz, bz2 or none.")
    String compression = "zst";

    Create(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      Compression c = Compression.fromOption(compression).orElseThrow(() -> new InvalidInputException(
          "compression '" + compression + "' is not known", "use --compression zst, gz, xz, bz2 or none"));
      Path file = context.guests().templates().create(name, from, force, c);
      context.out().println("created template '" + name + "' (" + file + ")");
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true, description = "Copy an archive into the template directory, after checking it.")
  static final class Import implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "FILE", description = "A tar archive: plain, gzip, bzip2, xz or zstd.")
    Path file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The template's name (default: the file's name).")
    String name;

    Import(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      Template t = context.guests().templates().importFile(file.toAbsolutePath(), Optional.ofNullable(name));
      context.out().println("imported template '" + t.name() + "' (" + t.file() + ")");
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a template of Gaiola's directory.")
  static final class Delete implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The template's name.")
    String name;

    Delete(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      Path file = context.guests().templates().delete(name);
      context.out().println("deleted template '" + name + "' (" + file + ")");
      return 0;
    }
  }
}
