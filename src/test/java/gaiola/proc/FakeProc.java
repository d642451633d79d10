package gaiola.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A procfs look-alike in a temporary directory: stat, status, cmdline and the ns/pid link. */
final class FakeProc {
  static final long HOST_NS = 4026531836L;
  static final long BTIME = 1_700_000_000L;

  final Path root;

  FakeProc(Path root) throws IOException {
    this.root = root;
    Files.writeString(root.resolve("stat"), "cpu  1 2 3 4\nbtime " + BTIME + "\nprocesses 42\n");
    Files.writeString(root.resolve("uptime"), "100.00 50.00\n");
  }

  /** Makes {@code self} point at this pid, as the kernel does for the reader. */
  FakeProc self(long pid) throws IOException {
    Files.createSymbolicLink(root.resolve("self"), Path.of(Long.toString(pid)));
    return this;
  }

  Process process(long pid) {
    return new Process(pid);
  }

  /** One process directory; defaults make a sleeping root shell in the host namespace. */
  final class Process {
    final long pid;
    long ppid = 1;
    String comm = "sh";
    char state = 'S';
    long uid = 0;
    long utime = 0;
    long stime = 0;
    long startTicks = 0;
    long vsize = 4096 * 1024;
    Long rssKb = 1024L;
    int tty = 0;
    byte[] cmdline;
    long ns = HOST_NS;
    long[] nspid;

    Process(long pid) {
      this.pid = pid;
      this.cmdline = (comm + "\0").getBytes(StandardCharsets.UTF_8);
    }

    Process comm(String c) {
      comm = c;
      return this;
    }

    Process ppid(long p) {
      ppid = p;
      return this;
    }

    Process state(char s) {
      state = s;
      return this;
    }

    Process uid(long u) {
      uid = u;
      return this;
    }

    Process cpu(long userTicks, long systemTicks) {
      utime = userTicks;
      stime = systemTicks;
      return this;
    }

    Process start(long ticks) {
      startTicks = ticks;
      return this;
    }

    Process memory(long vszBytes, Long rssKilobytes) {
      vsize = vszBytes;
      rssKb = rssKilobytes;
      return this;
    }

    Process tty(int nr) {
      tty = nr;
      return this;
    }

    Process ns(long inode, long... nsPids) {
      ns = inode;
      nspid = nsPids;
      return this;
    }

    Process argv(String... args) {
      cmdline =
          Arrays.stream(args)
              .map(a -> a + "\0")
              .collect(Collectors.joining())
              .getBytes(StandardCharsets.UTF_8);
      return this;
    }

    Path write() throws IOException {
      Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
      // fields 1..24 of proc(5), then a few of the rest as the kernel writes them
      String stat =
          "%d (%s) %c %d %d %d %d -1 4194560 100 0 0 0 %d %d 3 4 20 0 1 0 %d %d %d 18446744073709551615 1 1 0 0 0\n"
              .formatted(
                  pid,
                  comm,
                  state,
                  ppid,
                  pid,
                  pid,
                  tty,
                  utime,
                  stime,
                  startTicks,
                  vsize,
                  rssKb == null ? 0 : rssKb / 4);
      Files.writeString(dir.resolve("stat"), stat);
      StringBuilder status =
          new StringBuilder()
              .append("Name:\t")
              .append(comm)
              .append('\n')
              .append("State:\t")
              .append(state)
              .append(" (sleeping)\n")
              .append("Pid:\t")
              .append(pid)
              .append('\n')
              .append("PPid:\t")
              .append(ppid)
              .append('\n')
              .append("Uid:\t")
              .append(uid)
              .append('\t')
              .append(uid)
              .append('\t')
              .append(uid)
              .append('\t')
              .append(uid)
              .append('\n')
              .append("NSpid:\t")
              .append(
                  nspid == null
                      ? Long.toString(pid)
                      : pid
                          + "\t"
                          + Arrays.stream(nspid)
                              .mapToObj(Long::toString)
                              .collect(Collectors.joining("\t")))
              .append('\n');
      if (rssKb != null) {
        status.append("VmRSS:\t").append(String.format("%8d", rssKb)).append(" kB\n");
      }
      Files.writeString(dir.resolve("status"), status);
      Files.write(dir.resolve("cmdline"), cmdline);
      Files.createDirectories(dir.resolve("ns"));
      Files.createSymbolicLink(dir.resolve("ns/pid"), Path.of("pid:[" + ns + "]"));
      return dir;
    }
  }
}
