package gaiola.cli;

import gaiola.config.GuestName;
import gaiola.guest.ConsoleLog;
import gaiola.guest.LogCursor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vserver NAME log [-f]}: the guest's console output and its action scripts' output, from
 * the live file's start; {@code -f} goes on across rotations (older output is in NAME.log.1 ...).
 */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Print the guest's log: its init's output and its action scripts' output.")
final class LogVerb extends GuestVerb {
  @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, also after a rotation, until interrupted.")
  boolean follow;

  LogVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    GuestName name = name();
    ConsoleLog log = guests().log(name);
    if (!Files.exists(log.file()) && !follow) {
      context.err().println("gaiola: guest '" + name + "' has no log yet (" + log.file() + "); it is written from its first start");
      return 0;
    }
    LogCursor cursor = log.cursor();
    while (true) {
      long n = print(cursor);
      // A rotation under way (-1) is waited out briefly; after a full read the rest comes at once.
      boolean more = n < 0 || n >= LogCursor.MAX_READ;
      if (!more && !follow) {
        return 0;
      }
      Thread.sleep(n < 0 ? 20 : more ? 0 : 200);
    }
  }

  /** Bytes of a UTF-8 character cut by the end of the last read, printed with the next one. */
  private byte[] held = new byte[0];

  private long print(LogCursor cursor) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(held);
    long n = cursor.copyNew(b);
    byte[] bytes = b.toByteArray();
    int whole = wholeCharacters(bytes);
    held = java.util.Arrays.copyOfRange(bytes, whole, bytes.length);
    if (whole > 0) {
      context.out().print(new String(bytes, 0, whole, StandardCharsets.UTF_8));
      context.out().flush();
    }
    return n;
  }

  /** The length of the longest prefix that does not end inside a UTF-8 sequence. */
  static int wholeCharacters(byte[] b) {
    for (int back = 1; back <= Math.min(3, b.length); back++) {
      int c = b[b.length - back] & 0xff;
      if (c < 0x80) {
        return b.length;
      }
      if (c >= 0xc0) {
        int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        return need > back ? b.length - back : b.length;
      }
    }
    return b.length;
  }
}
