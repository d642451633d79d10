package gaiola.cli;

import gaiola.host.Privileges;
import gaiola.host.Programs;
import java.util.List;

/**
 * The training run behind the launcher's ahead-of-time class cache ({@code scripts/aot-cache}):
 * the commands of a typical session, in one JVM, on a throw-away root given as the only argument.
 * A cache holds only the classes its training loaded, so the run goes through build, start, exec,
 * status, the process views and stop when the host can run guests, and through build and status
 * otherwise.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: AotTraining ROOT");
      System.exit(2);
    }
    String root = args[0];
    boolean guests =
        Privileges.isRoot()
            && Programs.locate("runc").isPresent()
            && Programs.locate("catatonit").isPresent()
            && Programs.locate("busybox").isPresent();
    List<List<String>> session =
        guests
            ? List.of(
                List.of("vserver", "train", "build", "-m", "busybox", "--context", "2"),
                List.of("vhashify", "train"),
                List.of("vdu", root + "/vservers/train"),
                List.of("vserver", "train", "start"),
                List.of("vserver", "train", "exec", "true"),
                List.of("vserver", "train", "status"),
                List.of("vserver", "train", "running"),
                List.of("vps"),
                List.of("vserver-stat"),
                List.of("list"),
                List.of("vserver", "train", "stop"),
                List.of("template", "create", "train-t", "--from", "train"),
                List.of("vserver", "train-u", "build", "-m", "template", "--context", "3", "--", "-t", "train-t"),
                List.of("vserver-new", "train-c", "--context", "4", "clone", "train"),
                List.of("vserver-new", "train-l", "--context", "5", "clone", "train", "--layered"),
                List.of("template", "list"),
                List.of("template", "delete", "train-t"),
                List.of("vserver", "train-u", "delete", "--force"),
                List.of("vserver", "train-c", "delete", "--force"),
                List.of("vserver", "train-l", "delete", "--force"),
                List.of("vserver", "train", "delete", "--force"))
            : List.of(
                List.of("vserver", "train", "build", "-m", "skeleton", "--context", "2"),
                List.of("vserver", "train", "status"),
                List.of("template", "list"),
                List.of("list"));
    int failed = 0;
    for (List<String> command : session) {
      String[] argv = new String[command.size() + 2];
      argv[0] = "--root";
      argv[1] = root;
      for (int i = 0; i < command.size(); i++) {
        argv[i + 2] = command.get(i);
      }
      int status = Main.run(CliContext.system(), argv);
      // status and running report a stopped guest with 3 and 1: not a failure of the training.
      if (status != 0 && !(command.contains("status") || command.contains("running"))) {
        System.err.println("gaiola: training step '" + String.join(" ", command) + "' exited with " + status);
        failed++;
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
