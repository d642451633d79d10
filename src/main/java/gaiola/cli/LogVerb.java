package gaiola.cli;

import gaiola.config.GuestName;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vserver NAME log [-f]}: the guest's console output and its action scripts' output. */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Print the guest's log: its init's output and its action scripts' output.")
final class LogVerb extends GuestVerb {
  @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, until interrupted.")
  boolean follow;

  LogVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    GuestName name = name();
    Path log = guests().logFile(name);
    long offset = 0;
    if (Files.exists(log)) {
      offset = copy(log, 0);
    } else if (!follow) {
      context.err().println("gaiola: guest '" + name + "' has no log yet (" + log + "); it is written from its first start");
      return 0;
    }
    while (follow) {
      Thread.sleep(200);
      if (Files.exists(log)) {
        // A log rotated or removed by a delete starts again from its beginning.
        offset = Files.size(log) < offset ? copy(log, 0) : copy(log, offset);
      }
    }
    return 0;
  }

  private long copy(Path log, long from) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      f.seek(from);
      byte[] buf = new byte[65536];
      long at = from;
      for (int n; (n = f.read(buf)) > 0; ) {
        context.out().print(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
        at += n;
      }
      context.out().flush();
      return at;
    }
  }
}
