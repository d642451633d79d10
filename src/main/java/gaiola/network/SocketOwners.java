package gaiola.network;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Which process holds which socket: the {@code socket:[INODE]} links under {@code /proc/PID/fd}. */
public final class SocketOwners {
  private SocketOwners() {}

  /** Every socket inode held by a process under {@code proc}, with that process. */
  public static Map<Long, BindingTrap.Owner> scan(Path proc) throws IOException {
    Map<Long, BindingTrap.Owner> owners = new HashMap<>();
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path dir : pids) {
        long pid;
        try {
          pid = Long.parseLong(dir.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        scanProcess(dir, pid, owners);
      }
    }
    return owners;
  }

  private static void scanProcess(Path dir, long pid, Map<Long, BindingTrap.Owner> owners) {
    String comm = null;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
          continue;
        }
        if (target.startsWith("socket:[") && target.endsWith("]")) {
          if (comm == null) {
            comm = comm(dir);
          }
          long inode = Long.parseLong(target.substring(8, target.length() - 1));
          owners.putIfAbsent(inode, new BindingTrap.Owner(pid, comm));
        }
      }
    } catch (IOException e) {
      // The process ended while we looked, or is not ours to read: it is not counted.
    }
  }

  private static String comm(Path dir) {
    try {
      return Files.readString(dir.resolve("comm")).strip();
    } catch (IOException e) {
      return "?";
    }
  }
}
