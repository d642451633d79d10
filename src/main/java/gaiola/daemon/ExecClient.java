package gaiola.daemon;

import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line's side of a streamed exec: one connection, full duplex. Our stdin goes out in
 * chunks as it is read, from the moment the daemon answered that the command runs; its frames
 * come back to our stdout and stderr as they arrive; the exit frame ends it.
 */
final class ExecClient {
  private final java.nio.file.Path socket;

  ExecClient(java.nio.file.Path socket) {
    this.socket = socket;
  }

  int run(String guest, List<String> argv, String user, InputStream stdin, OutputStream stdout, OutputStream stderr)
      throws GaiolaException {
    String what = "exec of '" + String.join(" ", argv) + "' in " + guest;
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      writeAll(ch, head(guest, argv, user));
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
      DaemonClient.Head head = DaemonClient.readHead(in);
      if (head.status() >= 400) {
        byte[] body = head.chunked() ? new ChunkedInput(in).readAllBytes()
            : head.length() >= 0 ? in.readNBytes((int) head.length()) : in.readAllBytes();
        throw DaemonClient.failure(Api.MAPPER.readTree(body).path("error"));
      }
      // Not joined: a stdin that never ends (a terminal) must not keep us once the command ended.
      Thread.ofVirtual().name("exec-stdin").start(() -> sendStdin(ch, stdin));
      InputStream frames = head.chunked() ? new ChunkedInput(in) : in;
      for (Optional<ExecFrames.Frame> f; (f = ExecFrames.read(frames)).isPresent(); ) {
        ExecFrames.Frame frame = f.get();
        switch (frame.type()) {
          case ExecFrames.STDOUT -> {
            stdout.write(frame.payload());
            stdout.flush();
          }
          case ExecFrames.STDERR -> {
            stderr.write(frame.payload());
            stderr.flush();
          }
          case ExecFrames.EXIT -> {
            return frame.exitStatus();
          }
          default -> {}
        }
      }
      throw new HostException("the daemon ended the " + what + " without its exit status; see the daemon's log");
    } catch (IOException e) {
      throw new HostException("the daemon at " + socket + " broke off the " + what + ": " + e.getMessage(), e);
    }
  }

  /** The request head and, as its first chunk, the JSON line that names the command. */
  private static ByteBuffer head(String guest, List<String> argv, String user) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("argv", argv);
    json.put("user", user);
    String term = System.getenv("TERM");
    json.put("term", term == null || !term.matches("[A-Za-z0-9._+-]{1,64}") ? "linux" : term);
    byte[] line = (Api.MAPPER.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "POST /1.0/guests/" + guest + "/exec?stream=1 HTTP/1.1\r\nHost: gaiolad\r\nConnection: close\r\n"
        + "Content-Type: " + ExecStream.CONTENT_TYPE + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    ByteBuffer b = ByteBuffer.allocate(head.length() + line.length + 32);
    b.put(head.getBytes(StandardCharsets.US_ASCII)).put(chunk(line, line.length)).flip();
    return b;
  }

  private static byte[] chunk(byte[] data, int n) {
    byte[] size = (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(size.length + n + 2).put(size).put(data, 0, n).put((byte) '\r').put((byte) '\n').array();
  }

  /** Our stdin, chunk by chunk as it is read; its end ends the body, which closes the command's. */
  private static void sendStdin(SocketChannel ch, InputStream stdin) {
    byte[] buf = new byte[ExecFrames.CHUNK];
    try {
      for (int n; (n = stdin.read(buf)) >= 0; ) {
        if (n > 0) {
          writeAll(ch, ByteBuffer.wrap(chunk(buf, n)));
        }
      }
      writeAll(ch, ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      // The command ended and the daemon closed the connection; the rest of stdin is not ours.
    }
  }

  private static void writeAll(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
