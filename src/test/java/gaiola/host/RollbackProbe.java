package gaiola.host;

import java.nio.file.Files;
import java.nio.file.Path;

/** Run in a child JVM by RollbackInterruptTest: makes a file, registers its undo, then waits. */
public final class RollbackProbe {
  public static void main(String[] args) throws Exception {
    Path marker = Path.of(args[0]);
    Rollback undo = new Rollback();
    undo.step(() -> Files.writeString(marker, "half-built"));
    undo.add(() -> Files.delete(marker));
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(60_000);
    undo.close();
  }
}
