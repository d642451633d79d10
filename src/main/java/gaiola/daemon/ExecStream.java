package gaiola.daemon;

import gaiola.config.GuestName;
import gaiola.error.GaiolaException;
import gaiola.guest.ExecSession;
import gaiola.guest.Guests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One streamed exec, full duplex on its HTTP/1.1 connection: the request body after its first
 * line feeds the command's stdin as it arrives, and the answer carries the command's stdout and
 * stderr in {@link ExecFrames} as they are printed, then its exit status. A client that goes away
 * (a failed read or write) ends the command inside.
 */
final class ExecStream {
  static final String CONTENT_TYPE = "application/vnd.gaiola.exec-stream";
  /** A keep-alive frame this often finds a client gone while the command prints nothing. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

  private final Daemon daemon;
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final AtomicBoolean clientGone = new AtomicBoolean();
  private final Object writing = new Object();
  private ExecSession session;
  private OutputStream out;

  ExecStream(Daemon daemon, Request request, Response response, Callback callback) {
    this.daemon = daemon;
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  /**
   * Reads the request's first line and starts the command; until then a failure is thrown and
   * answered in JSON as any other. Returns once the command ended and the answer is complete.
   */
  void run(Guests guests, GuestName name) throws Exception {
    InputStream body = Content.Source.asInputStream(request);
    Api.ExecStreamRequest r = Api.read(firstLine(body), Api.ExecStreamRequest.class, null);
    r.check();
    List<String> env = r.term() == null ? List.of() : List.of("TERM=" + r.term());
    session = guests.execPiped(name, r.argv(), r.user(), env);
    daemon.execSessions(+1);
    Throwable failure = null;
    try {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
      out = Content.Sink.asOutputStream(response);
      // The status line goes out now: the client starts sending stdin once it reads it.
      out.flush();
      Thread.ofVirtual().name("exec-stdin-" + name).start(() -> feedStdin(body));
      Thread stdout = Thread.ofVirtual().name("exec-stdout-" + name).start(() -> drain(session.stdout(), ExecFrames.STDOUT));
      Thread stderr = Thread.ofVirtual().name("exec-stderr-" + name).start(() -> drain(session.stderr(), ExecFrames.STDERR));
      OptionalInt status;
      while ((status = session.await(KEEP_ALIVE)).isEmpty()) {
        send(ExecFrames.keepAlive());
      }
      // runc ends after the command's output is in the pipes: the drains pass all of it on first.
      stdout.join();
      stderr.join();
      send(ExecFrames.exit(status.getAsInt()));
    } catch (IOException | RuntimeException | InterruptedException e) {
      failure = e;
      daemon.log(name + ": streamed exec failed: " + e);
    } finally {
      try {
        session.close();
      } catch (GaiolaException e) {
        daemon.log(name + ": streamed exec: " + e.oneLine());
      }
      daemon.execSessions(-1);
    }
    complete(failure);
  }

  /** The JSON head: bytes up to the first newline (or the whole body), at most the body limit. */
  private static byte[] firstLine(InputStream body) throws IOException, Api.RequestException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c; (c = body.read()) >= 0 && c != '\n'; ) {
      if (line.size() >= ApiError.MAX_BODY) {
        throw new Api.RequestException(new ApiError(
            413, "too-large", "the first line of a streamed exec is longer than " + ApiError.MAX_BODY + " bytes",
            "send the JSON head on one line, then a newline, then stdin"));
      }
      line.write(c);
    }
    return line.toByteArray();
  }

  /**
   * Copies the request body into the command's stdin until the body ends, then closes it. A body
   * that breaks off means the client went away.
   */
  private void feedStdin(InputStream body) {
    OutputStream stdin = session.stdin();
    boolean open = true;
    byte[] buf = new byte[ExecFrames.CHUNK];
    try {
      for (int n; (n = body.read(buf)) >= 0; ) {
        if (open) {
          try {
            stdin.write(buf, 0, n);
            stdin.flush();
          } catch (IOException e) {
            // The command closed its stdin: the rest is read only to notice a client that leaves.
            open = false;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      abort();
      return;
    }
    try {
      stdin.close();
    } catch (IOException e) {
      // The command ended already.
    }
  }

  /** Passes one of the command's outputs on as frames of its type, as it is printed. */
  private void drain(InputStream from, int type) {
    byte[] buf = new byte[ExecFrames.CHUNK];
    try {
      for (int n; (n = from.read(buf)) >= 0; ) {
        if (n > 0) {
          send(ExecFrames.encode(type, buf, 0, n));
        }
      }
    } catch (IOException e) {
      // The pipe closed under us: the session was closed.
    }
  }

  /** Writes one frame; a write that fails means the client went away. */
  private void send(byte[] frame) {
    if (clientGone.get()) {
      return;
    }
    try {
      synchronized (writing) {
        out.write(frame);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      abort();
    }
  }

  /** The client went away: the command inside ends; runc's exit then ends {@link #run}. */
  private void abort() {
    if (clientGone.compareAndSet(false, true)) {
      try {
        session.kill();
      } catch (GaiolaException e) {
        daemon.log("streamed exec: cannot end the command of a client that left: " + e.oneLine());
      }
    }
  }

  /**
   * Ends the answer: the last chunk after the exit frame, or a failed connection when the client
   * left or the stream broke. A stdin still open is not waited for: the connection's close ends it.
   */
  private void complete(Throwable failure) {
    if (failure == null && clientGone.get()) {
      failure = new IOException("the client of a streamed exec went away");
    }
    try {
      synchronized (writing) {
        if (out != null) {
          out.close();
        }
      }
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    if (failure == null) {
      callback.succeeded();
    } else {
      callback.failed(failure);
    }
  }
}
