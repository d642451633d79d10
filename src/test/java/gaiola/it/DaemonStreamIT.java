package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.InvalidInputException;
import gaiola.error.StateException;
import gaiola.it.DaemonIT.RunningDaemon;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gaiolad's streamed exec, its Prometheus metrics and the rotation of a chatty guest's log, with
 * the daemon as a separate process on a private root.
 */
@RequiresGuestHost
@Timeout(300)
class DaemonStreamIT {
  /** A sink that tests can wait on: what was written so far, as text. */
  private static final class Sink extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      notifyAll();
    }

    synchronized byte[] bytes() {
      return bytes.toByteArray();
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits up to 10 s until the text so far contains {@code part}. */
    synchronized void await(String part) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!text().contains(part) && System.nanoTime() < deadline) {
        wait(50);
      }
      assertThat(text()).contains(part);
    }
  }

  @Test
  void aStreamedExecEchoesAsItGoesSeparatesStderrAndCarriesTheExitStatus() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName g = host.busybox("ds01", 5401, InitStyle.parse("plain"));
      try (RunningDaemon d = new RunningDaemon(host, "--no-autostart")) {
        assertThatThrownBy(() -> d.client.exec("ds01", List.of("true"), null, InputStream.nullInputStream(), new Sink(), new Sink()))
            .isInstanceOf(StateException.class).hasMessage(inProcessFailure(host, g));
        d.call("POST", "/1.0/guests/ds01/start", null);

        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing, 65536);
        Sink out = new Sink();
        Sink err = new Sink();
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
          try {
            return d.client.exec("ds01", List.of("sh", "-c",
                "while read l; do echo \"out:$l\"; echo \"err:$l\" >&2; done; exit 7"), null, stdin, out, err);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        // The echo of the first line comes back while stdin is still open.
        typing.write("one\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        out.await("out:one\n");
        err.await("err:one\n");
        assertThat(status).isNotDone();
        typing.write("two\n".getBytes(StandardCharsets.UTF_8));
        typing.close();
        assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(out.text()).isEqualTo("out:one\nout:two\n");
        assertThat(err.text()).isEqualTo("err:one\nerr:two\n");

        // cat gives back every byte value, and a user runs it as suexec would.
        byte[] all = new byte[3 * 256 * 256];
        for (int i = 0; i < all.length; i++) {
          all[i] = (byte) (i * 7 + i / 256);
        }
        Sink echoed = new Sink();
        assertThat(d.client.exec("ds01", List.of("cat"), null, new java.io.ByteArrayInputStream(all), echoed, new Sink())).isZero();
        assertThat(echoed.bytes()).isEqualTo(all);
        Sink id = new Sink();
        assertThat(d.client.exec("ds01", List.of("id", "-u"), "nobody", InputStream.nullInputStream(), id, new Sink())).isZero();
        assertThat(id.text()).isEqualTo("65534\n");
        assertThatThrownBy(() -> d.client.exec("ds01", List.of(), null, InputStream.nullInputStream(), new Sink(), new Sink()))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("'argv' must be a non-empty array");
        awaitMetric(d, "gaiola_exec_sessions", "0");
        d.call("POST", "/1.0/guests/ds01/stop?fast=1", null);
      }
    }
  }

  /** The message the engine gives in-process for an exec in a stopped guest. */
  private static String inProcessFailure(TestHost host, GuestName g) {
    try {
      host.guests.execCaptured(g, List.of("true"));
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("exec in a stopped guest succeeded");
  }

  @Test
  void aClientThatDiesEndsItsCommandInsideAndLeavesNothing() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName g = host.busybox("ds02", 5402, InitStyle.parse("plain"));
      try (RunningDaemon d = new RunningDaemon(host, "--no-autostart")) {
        long init = d.call("POST", "/1.0/guests/ds02/start", null).path("initPid").asLong();
        // A command line in its own JVM, its stdin left open, then killed with SIGKILL.
        Process client = cli(host, "vserver", "ds02", "exec", "cat", "-").start();
        client.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        assertThat(new String(client.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("ping\n");
        assertThat(commandsInside(host, init, "cat\0-\0")).hasSize(1);
        client.destroyForcibly().waitFor();
        awaitNone(host, init, "cat\0-\0");

        // A silent command whose client closed stdin and then left: the keep-alive finds out.
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(host.guests.layout().runDir().resolve("gaiola.sock")))) {
          String line = "{\"argv\":[\"sleep\",\"417\"]}\n";
          String request = "POST /1.0/guests/ds02/exec?stream=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(line.length()) + "\r\n" + line + "\r\n0\r\n\r\n";
          ch.write(java.nio.ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
          java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(15);
          while (head.hasRemaining()) {
            ch.read(head);
          }
          assertThat(new String(head.array(), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
          // The answer comes once runc runs; the command inside follows a moment later.
          for (int i = 0; i < 50 && commandsInside(host, init, "sleep\0" + "417\0").isEmpty(); i++) {
            Thread.sleep(100);
          }
          assertThat(commandsInside(host, init, "sleep\0" + "417\0")).hasSize(1);
        }
        awaitNone(host, init, "sleep\0" + "417\0");
        awaitMetric(d, "gaiola_exec_sessions", "0");
        try (Stream<Path> pidFiles = Files.list(host.guests.layout().runDir().resolve("exec"))) {
          assertThat(pidFiles).as("PID files of execs").isEmpty();
        }
        d.call("POST", "/1.0/guests/ds02/stop?fast=1", null);
        host.assertNoLeftovers();
      }
    }
  }

  /** The guest's processes whose command line is exactly {@code cmdline} (NUL-separated). */
  private static List<Long> commandsInside(TestHost host, long init, String cmdline) throws IOException {
    List<Long> found = new ArrayList<>();
    for (long pid : host.guestPids(init)) {
      try {
        if (new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).equals(cmdline)) {
          found.add(pid);
        }
      } catch (IOException e) {
        // Ended while we looked.
      }
    }
    return found;
  }

  /** Waits up to 15 s (a keep-alive is sent every 10 s) until no such process is left. */
  private static void awaitNone(TestHost host, long init, String cmdline) throws Exception {
    for (int i = 0; i < 150 && !commandsInside(host, init, cmdline).isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(commandsInside(host, init, cmdline)).as("%s left in the guest", cmdline.replace('\0', ' ')).isEmpty();
  }

  /** The command line in a JVM of its own, on the test's root. */
  private static ProcessBuilder cli(TestHost host, String... args) {
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "gaiola.cli.Main", "--root", host.root.toString()));
    argv.addAll(List.of(args));
    return new ProcessBuilder(argv);
  }

  /** What a command line printed on stdout and stderr and its exit status, given this stdin. */
  private record Run(int status, String out, String err) {}

  private static Run run(TestHost host, String stdin, String... args) throws Exception {
    Path out = Files.createTempFile(host.root, "out", "");
    Path err = Files.createTempFile(host.root, "err", "");
    Process p = cli(host, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void theCommandLinesExecThroughTheDaemonMatchesItInProcess() throws Exception {
    try (TestHost host = new TestHost()) {
      host.busybox("ds03", 5403, InitStyle.parse("plain"));
      try (RunningDaemon d = new RunningDaemon(host, "--no-autostart")) {
        Run stopped = run(host, "", "vserver", "ds03", "exec", "true");
        assertThat(stopped).isEqualTo(run(host, "", "--no-daemon", "vserver", "ds03", "exec", "true"));
        assertThat(stopped.status()).isNotZero();
        d.call("POST", "/1.0/guests/ds03/start", null);

        String[] exec = {"vserver", "ds03", "exec", "sh", "-c", "cat; echo oops >&2; exit 3"};
        long before = Long.parseLong(metric(d, "gaiola_api_requests_total"));
        Run through = run(host, "first\nsecond\n", exec);
        // The exec was one request on the socket (the metrics request itself is the other).
        assertThat(Long.parseLong(metric(d, "gaiola_api_requests_total"))).isEqualTo(before + 2);
        List<String> local = new ArrayList<>(List.of("--no-daemon"));
        local.addAll(List.of(exec));
        assertThat(through).isEqualTo(run(host, "first\nsecond\n", local.toArray(String[]::new)))
            .isEqualTo(new Run(3, "first\nsecond\n", "oops\n"));
        Run suexec = run(host, "", "vserver", "ds03", "suexec", "nobody", "id", "-u");
        assertThat(suexec).isEqualTo(run(host, "", "--no-daemon", "vserver", "ds03", "suexec", "nobody", "id", "-u"))
            .isEqualTo(new Run(0, "65534\n", ""));
        assertThat(run(host, "", "vserver", "ds03", "suexec", "nosuchuser", "true"))
            .isEqualTo(run(host, "", "--no-daemon", "vserver", "ds03", "suexec", "nosuchuser", "true"));
        d.call("POST", "/1.0/guests/ds03/stop?fast=1", null);
      }
    }
  }

  @Test
  void aChattyGuestsLogRotatesAndLogFollowsIt() throws Exception {
    try (TestHost host = new TestHost()) {
      GuestName g = host.busybox("ds04", 5404, InitStyle.parse("plain"));
      // An init that prints a numbered line of 100 bytes every 10 ms (about 10 kB a second), after
    // 5 s in which the follower below starts.
      Path init = host.guests.config(g).vdir().resolve("sbin/init");
      Files.delete(init);
      Files.writeString(init, "#!/bin/sh\nsleep 5\ni=0\nwhile :; do printf 'chatty %08d %s\\n' $i "
          + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); sleep 0.01; done\n");
      Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path limits = Files.createDirectories(host.configDir(g).resolve("apps/log"));
      Files.writeString(limits.resolve("size"), "8K\n");
      Files.writeString(limits.resolve("keep"), "2\n");
      try (RunningDaemon d = new RunningDaemon(host, "--no-autostart")) {
        d.call("POST", "/1.0/guests/ds04/start", null);
        // Into a file, read once the follower has ended: a pipe read while the process is destroyed
        // can fail with "Stream closed" in the JDK.
        Path printed = host.root.resolve("followed");
        Process follow = cli(host, "vserver", "ds04", "log", "-f")
            .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(printed.toFile()).start();
        Path log = host.guests.logFile(g);
        Path second = log.resolveSibling("ds04.log.2");
        for (int i = 0; i < 200 && !Files.exists(second); i++) {
          Thread.sleep(100);
        }
        assertThat(second).as("a second rotation within 20 s").exists();
        // A third rotation, which drops the oldest: keep is 2.
        long rotations = Long.parseLong(metric(d, "gaiola_log_rotations_total"));
        for (int i = 0; i < 100 && Long.parseLong(metric(d, "gaiola_log_rotations_total")) == rotations; i++) {
          Thread.sleep(100);
        }
        assertThat(log.resolveSibling("ds04.log.3")).doesNotExist();
        assertThat(Files.size(log)).isLessThan(8192 + 30_000);
        Thread.sleep(500);
        follow.destroy();
        assertThat(follow.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> followed = Files.readString(printed).lines().toList();
        d.call("POST", "/1.0/guests/ds04/stop?fast=1", null);

        // log -f printed the lines in order, none twice, from the first line on across the rotations.
        List<Integer> numbers = followed.stream().filter(l -> l.matches("chatty \\d{8} x+"))
            .map(l -> Integer.parseInt(l.substring(7, 15))).toList();
        assertThat(numbers).isNotEmpty().startsWith(0);
        for (int i = 1; i < numbers.size(); i++) {
          assertThat(numbers.get(i)).as("line after %d", numbers.get(i - 1)).isGreaterThan(numbers.get(i - 1));
        }
        int last = numbers.getLast();
        // A rotated file may begin with the rest of a line whose start the previous one holds.
        int rotatedAway = Files.readAllLines(log.resolveSibling("ds04.log.2")).stream()
            .filter(l -> l.matches("chatty \\d{8} x+")).map(l -> Integer.parseInt(l.substring(7, 15))).findFirst().orElseThrow();
        assertThat(last).as("followed past the kept files' start").isGreaterThan(rotatedAway);
        long rotationsDone = Long.parseLong(metric(d, "gaiola_log_rotations_total"));
        if (List.of("ext4", "xfs").contains(Files.getFileStore(log).type())) {
          // Cut in place (fallocate's collapse): nothing lost.
          assertThat(numbers).as("lines lost in %d rotations", rotationsDone).hasSize(last + 1);
        } else {
          // Copied and truncated: lost only what the init printed in the instant of a rotation, if anything.
          assertThat(last + 1 - numbers.size()).as("lines lost in %d rotations", rotationsDone).isLessThanOrEqualTo((int) rotationsDone);
        }
      }
    }
  }

  /** Waits up to 5 s for a sample to take a value. */
  private static void awaitMetric(RunningDaemon d, String name, String value) throws Exception {
    for (int i = 0; i < 50 && !metric(d, name).equals(value); i++) {
      Thread.sleep(100);
    }
    assertThat(metric(d, name)).as(name).isEqualTo(value);
  }

  /** One sample of the daemon's Prometheus text, by its exact name (without labels). */
  private static String metric(RunningDaemon d, String name) throws Exception {
    String text = new String(d.client.call("GET", "/metrics", null).body(), StandardCharsets.UTF_8);
    return text.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1))
        .findFirst().orElseThrow(() -> new AssertionError(name + " not in\n" + text));
  }
}
