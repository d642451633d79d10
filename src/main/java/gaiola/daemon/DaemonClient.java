package gaiola.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import gaiola.config.HostLayout;
import gaiola.error.ConflictException;
import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.error.NotFoundException;
import gaiola.error.StateException;
import gaiola.error.UnsupportedHostException;
import gaiola.host.Privileges;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The command line's side of the API: HTTP/1.1 over the daemon's Unix socket, one connection per
 * request. An error answer becomes the same exception the engine would have thrown in-process, so
 * the user sees the same line and exit status either way.
 */
public final class DaemonClient {
  private final Path socket;

  private DaemonClient(Path socket) {
    this.socket = socket;
  }

  /**
   * The client when a daemon listens for this layout; empty when there is none (no socket, or a
   * stale one nobody listens on). A socket that is not root's is refused.
   */
  public static Optional<DaemonClient> find(HostLayout layout) throws GaiolaException {
    Path socket = Daemon.socket(layout);
    int owner;
    try {
      owner = (Integer) Files.getAttribute(socket, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      if (runsAsRoot() && DaemonLock.held(layout)) {
        return awaitStartUp(layout);
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new HostException("cannot inspect " + socket + ": " + e.getMessage(), e);
    }
    if (owner != 0) {
      throw new HostException(
          "refusing to talk to " + socket + ": it is owned by uid " + owner + ", not root",
          "remove it (no daemon of ours made it), or use --no-daemon");
    }
    if (!runsAsRoot()) {
      return Optional.empty();
    }
    try (SocketChannel _ = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return Optional.of(new DaemonClient(socket));
    } catch (ConnectException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new HostException("cannot connect to " + socket + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether we run as root, read from the owner of {@code /proc/self}: the command line that only
   * forwards a request then never loads the native-call machinery.
   */
  private static boolean runsAsRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | RuntimeException e) {
      return Privileges.isRoot();
    }
  }

  /** How long a client waits for a daemon that adopts and autostarts guests before it listens. */
  static final java.time.Duration START_UP = java.time.Duration.ofSeconds(120);

  private static Optional<DaemonClient> awaitStartUp(HostLayout layout) throws GaiolaException {
    long deadline = System.nanoTime() + START_UP.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(Daemon.socket(layout))) {
        return find(layout);
      }
      if (!DaemonLock.held(layout)) {
        return Optional.empty();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HostException("interrupted while waiting for gaiolad to start");
      }
    }
    throw new HostException(
        "gaiolad holds " + DaemonLock.file(layout) + " but opened no socket in " + START_UP.toSeconds() + " s",
        "see its log; or use --no-daemon");
  }

  /** An answer: its JSON and the warnings the engine gave while serving it. */
  public record Reply(int status, List<String> warnings, byte[] body) {
    /** The answer's JSON, read on demand: a start or stop from the command line never needs it. */
    public JsonNode json() throws GaiolaException {
      try {
        return Api.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new HostException("the daemon's answer is not JSON: " + e.getMessage(), e);
      }
    }
  }

  /** Sends a request and returns the answer; an error answer is thrown as the engine's exception. */
  public Reply call(String method, String path, String jsonBody) throws GaiolaException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      send(ch, method, path, jsonBody);
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
      Head head = readHead(in);
      byte[] body = head.chunked ? new ChunkedInput(in).readAllBytes() : head.length >= 0 ? in.readNBytes((int) head.length) : in.readAllBytes();
      if (head.status >= 400) {
        throw failure(Api.MAPPER.readTree(body).path("error"));
      }
      return new Reply(head.status, head.warnings, body);
    } catch (IOException e) {
      throw new HostException("the daemon at " + socket + " did not answer " + method + " " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a command inside through the daemon's streamed exec, as {@code vserver NAME exec} (or
   * {@code suexec} with a user) does in-process: {@code stdin} is sent as it is read, the
   * command's output is written as it is printed, and its exit status is returned.
   *
   * @param user a guest user name or uid[:gid], null for root
   */
  public int exec(String guest, List<String> argv, String user, InputStream stdin, java.io.OutputStream stdout,
      java.io.OutputStream stderr) throws GaiolaException {
    return new ExecClient(socket).run(guest, argv, user, stdin, stdout, stderr);
  }

  /** Reads a streamed answer line by line until the daemon closes it. */
  public void stream(String path, Consumer<String> lines) throws GaiolaException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      send(ch, "GET", path, null);
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
      Head head = readHead(in);
      if (head.status >= 400) {
        throw failure(Api.MAPPER.readTree(head.chunked ? new ChunkedInput(in).readAllBytes() : in.readAllBytes()).path("error"));
      }
      StringBuilder partial = new StringBuilder();
      Consumer<byte[]> sink =
          bytes -> {
            partial.append(new String(bytes, StandardCharsets.UTF_8));
            for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
              String line = partial.substring(0, nl);
              partial.delete(0, nl + 1);
              if (!line.isBlank()) {
                lines.accept(line);
              }
            }
          };
      InputStream body = head.chunked ? new ChunkedInput(in) : in;
      byte[] buf = new byte[8192];
      for (int n; (n = body.read(buf)) > 0; ) {
        sink.accept(java.util.Arrays.copyOf(buf, n));
      }
    } catch (IOException e) {
      throw new HostException("the daemon at " + socket + " ended the stream: " + e.getMessage(), e);
    }
  }

  private static void send(SocketChannel ch, String method, String path, String jsonBody) throws IOException {
    byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
    String head = method + " " + path + " HTTP/1.1\r\nHost: gaiolad\r\nConnection: close\r\n"
        + (body.length > 0 ? "Content-Type: application/json\r\n" : "")
        + "Content-Length: " + body.length + "\r\n\r\n";
    ByteBuffer b = ByteBuffer.allocate(head.length() + body.length);
    b.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  record Head(int status, long length, boolean chunked, List<String> warnings) {}

  static Head readHead(InputStream in) throws IOException {
    String statusLine = line(in);
    String[] s = statusLine.split(" ", 3);
    if (s.length < 2 || !s[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: " + Api.printable(statusLine));
    }
    int status = Integer.parseInt(s[1]);
    long length = -1;
    boolean chunked = false;
    List<String> warnings = new ArrayList<>();
    for (String h; !(h = line(in)).isEmpty(); ) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).strip();
      switch (key) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "gaiola-warning" -> warnings.add(value);
        default -> {}
      }
    }
    return new Head(status, length, chunked, warnings);
  }

  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("connection closed mid-answer");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** The engine's exception for an error answer: same class, message and hint. */
  static GaiolaException failure(JsonNode error) {
    String code = error.path("code").asText("internal");
    String message = error.path("message").asText("the daemon failed without saying why");
    String hint = error.path("hint").isTextual() ? error.path("hint").asText() : null;
    return switch (code) {
      case "not-found" -> new NotFoundException(message, hint);
      case "invalid-input", "bad-request", "too-large" -> new InvalidInputException(message, hint);
      case "conflict" -> new ConflictException(message, hint);
      case "illegal-state" -> new StateException(message, hint);
      case "unsupported-host" -> new UnsupportedHostException(message, hint);
      default -> new HostException(message, hint);
    };
  }
}
