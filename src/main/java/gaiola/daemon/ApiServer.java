package gaiola.daemon;

import gaiola.build.BuildMethod;
import gaiola.config.ContextId;
import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.GaiolaException;
import gaiola.guest.BuildRequest;
import gaiola.guest.GuestState;
import gaiola.guest.Guests;
import gaiola.host.Completion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP/JSON API on the daemon's Unix socket. Each request gets its own engine whose warnings
 * travel back in {@code Gaiola-Warning} headers; failures are JSON {@code {"error": {code,
 * message, hint}}} with the message the command line prints, never a stack trace.
 */
final class ApiServer implements AutoCloseable {
  static final String WARNING = "Gaiola-Warning";
  private final Daemon daemon;
  private final Server server;

  ApiServer(Daemon daemon, Path socket) {
    this.daemon = daemon;
    QueuedThreadPool pool = new QueuedThreadPool(512, 4);
    pool.setName("gaiolad-api");
    this.server = new Server(pool);
    // No acceptor thread: the one selector accepts too, one hand-over fewer per connection (0.3 ms here).
    UnixDomainServerConnector connector = new UnixDomainServerConnector(server, 0, 1, new HttpConnectionFactory());
    connector.setUnixDomainPath(socket);
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    // Requests Jetty refuses itself (ambiguous paths, bad headers) are answered in JSON too.
    server.setErrorHandler(
        new org.eclipse.jetty.server.handler.ErrorHandler() {
          @Override
          protected void generateResponse(
              Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            String text = message == null || message.isBlank() ? "the request is not valid HTTP for this API" : message;
            ApiError err = new ApiError(code, code == 413 ? "too-large" : code >= 500 ? "internal" : "bad-request", Api.printable(text), null);
            reply(response, callback, code, Map.of("error", err), List.of());
          }
        });
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            serve(request, response, callback);
            return true;
          }
        });
  }

  void start() throws Exception {
    server.start();
  }

  @Override
  public void close() throws java.io.IOException {
    try {
      server.stop();
    } catch (Exception e) {
      throw new java.io.IOException("cannot stop the API server: " + e.getMessage(), e);
    }
  }

  private void serve(Request request, Response response, Callback callback) {
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    Guests guests = daemon.engine(warnings::add);
    try {
      String method = request.getMethod();
      String path = request.getHttpURI().getDecodedPath();
      daemon.counted();
      if (method.equals("POST") && path != null && path.matches("/1\\.0/guests/[^/]+/exec") && flag(request, "stream")) {
        // Its body is the command's stdin, read as it comes, never whole.
        new ExecStream(daemon, request, response, callback).run(guests, guests.resolve(path.split("/")[3]));
        return;
      }
      byte[] body = body(request);
      Object result = route(guests, method, path == null ? "" : path, request, body, response, callback);
      if (result == STREAMED) {
        return;
      }
      if (result instanceof Text t) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, t.contentType());
        response.write(true, ByteBuffer.wrap(t.body().getBytes(StandardCharsets.UTF_8)), callback);
        return;
      }
      reply(response, callback, result instanceof Created ? 201 : 200, result instanceof Created c ? c.value() : result, warnings);
    } catch (Api.RequestException e) {
      reply(response, callback, e.error().status(), Map.of("error", e.error()), warnings);
    } catch (GaiolaException e) {
      ApiError err = ApiError.of(e);
      reply(response, callback, err.status(), Map.of("error", err), warnings);
    } catch (Exception e) {
      daemon.log("internal error: " + e);
      reply(response, callback, 500, Map.of("error", ApiError.internal(e)), warnings);
    }
  }

  private static final Object STREAMED = new Object();

  private record Created(Object value) {}

  /** An answer that is not JSON. */
  private record Text(String contentType, String body) {}

  private static byte[] body(Request request) throws Api.RequestException, IOException {
    long declared = request.getLength();
    if (declared > ApiError.MAX_BODY) {
      throw new Api.RequestException(ApiError.tooLarge(declared));
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] b = in.readNBytes(ApiError.MAX_BODY + 1);
      if (b.length > ApiError.MAX_BODY) {
        throw new Api.RequestException(ApiError.tooLarge(b.length));
      }
      return b;
    }
  }

  private Object route(
      Guests guests, String method, String path, Request request, byte[] body, Response response, Callback callback)
      throws Exception {
    String[] p = path.split("/", -1);
    if (path.equals("/metrics")) {
      // Where Prometheus looks by default; /1.0/metrics keeps the JSON.
      requireMethod(method, path, "GET");
      return new Text(PrometheusText.CONTENT_TYPE, daemon.prometheus(guests));
    }
    // p[0] is empty: paths start with '/'.
    if (path.equals("/1.0") || path.equals("/1.0/")) {
      requireMethod(method, path, "GET");
      return Map.of("api", "1.0", "daemonPid", ProcessHandle.current().pid(),
          "endpoints", List.of("/1.0/guests", "/1.0/guests/NAME", "/1.0/guests/NAME/{start,stop,restart,exec,wait}",
              "/1.0/marks/MARK/{start,stop}", "/1.0/events", "/1.0/metrics", "/metrics"));
    }
    if (p.length < 3 || !p[1].equals("1.0")) {
      throw new Api.RequestException(ApiError.noEndpoint(path));
    }
    switch (p[2]) {
      case "events" -> {
        requireMethod(method, path, "GET");
        if (p.length != 3) {
          throw new Api.RequestException(ApiError.noEndpoint(path));
        }
        streamEvents(response, callback);
        return STREAMED;
      }
      case "metrics" -> {
        requireMethod(method, path, "GET");
        return daemon.metrics();
      }
      case "marks" -> {
        if (p.length != 5) {
          throw new Api.RequestException(ApiError.noEndpoint(path));
        }
        requireMethod(method, path, "POST");
        Api.read(body, Api.Empty.class, new Api.Empty());
        String mark = Autostart.checkMark(p[3]);
        return switch (p[4]) {
          case "start" -> daemon.autostart().start(mark);
          case "stop" -> daemon.autostart().stop(mark);
          default -> throw new Api.RequestException(ApiError.noEndpoint(path));
        };
      }
      case "guests" -> {
        return guests(guests, method, path, p, request, body);
      }
      default -> throw new Api.RequestException(ApiError.noEndpoint(path));
    }
  }

  private Object guests(Guests guests, String method, String path, String[] p, Request request, byte[] body)
      throws Exception {
    Supervisor sup = daemon.supervisor();
    if (p.length == 3 || (p.length == 4 && p[3].isEmpty())) {
      if (method.equals("POST")) {
        return new Created(build(guests, Api.read(body, Api.BuildRequest.class, null)));
      }
      requireMethod(method, path, "GET");
      List<GuestView> all = new java.util.ArrayList<>();
      for (GuestName n : guests.list()) {
        try {
          all.add(daemon.view(guests, n));
        } catch (GaiolaException e) {
          daemon.log(n + ": not listed: " + e.getMessage());
        }
      }
      return all;
    }
    GuestName name = guests.resolve(p[3]);
    if (p.length == 4) {
      if (method.equals("DELETE")) {
        Api.read(body, Api.Empty.class, new Api.Empty());
        sup.delete(guests, name, flag(request, "force"));
        return Map.of("name", name.value(), "deleted", true);
      }
      requireMethod(method, path, "GET");
      return daemon.view(guests, name);
    }
    if (p.length != 5) {
      throw new Api.RequestException(ApiError.noEndpoint(path));
    }
    switch (p[4]) {
      case "start", "stop", "restart" -> {
        requireMethod(method, path, "POST");
        Api.read(body, Api.Empty.class, new Api.Empty());
        // A start reports the guest from the configuration it started with, not loaded again.
        return switch (p[4]) {
          case "start" -> daemon.view(name, sup.start(guests, name));
          case "stop" -> {
            sup.stop(guests, name, flag(request, "fast"));
            yield daemon.view(guests, name);
          }
          default -> daemon.view(name, sup.restart(guests, name));
        };
      }
      case "exec" -> {
        requireMethod(method, path, "POST");
        // Reached without ?stream=1 (or with stream=0): the captured exec.
        Api.ExecRequest r = Api.read(body, Api.ExecRequest.class, null);
        r.check();
        Completion c = guests.execCaptured(name, r.argv());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", c.exitStatus());
        out.put("stdout", c.stdout());
        out.put("stderr", c.stderr());
        return out;
      }
      case "wait" -> {
        requireMethod(method, path, "GET");
        return daemon.awaitEnd(guests, name, seconds(request, "timeout"));
      }
      default -> throw new Api.RequestException(ApiError.noEndpoint(path));
    }
  }

  private static void requireMethod(String method, String path, String allowed) throws Api.RequestException {
    if (!method.equals(allowed)) {
      throw new Api.RequestException(ApiError.methodNotAllowed(method, path));
    }
  }

  private GuestView build(Guests guests, Api.BuildRequest r) throws Exception {
    if (r.name() == null || r.method() == null) {
      throw new Api.RequestException(ApiError.badJson("build: 'name' and 'method' are required"));
    }
    GuestName name = GuestName.parse(r.name());
    BuildMethod method = BuildMethod.parse(r.method(), r.methodArgs() == null ? List.of() : r.methodArgs());
    Optional<ContextId> ctx = r.context() == null ? Optional.empty() : Optional.of(ContextId.parse(r.context().toString()));
    Optional<InitStyle> style = r.initStyle() == null ? Optional.empty() : Optional.of(InitStyle.parse(r.initStyle()));
    guests.build(new BuildRequest(
        name, method, ctx, Optional.ofNullable(r.hostname()), Optional.empty(), style,
        r.interfaces() == null ? List.of() : r.interfaces(), Optional.empty()));
    daemon.events().publish(Event.of("built", name.value(), null, null, null, null));
    return daemon.view(guests, name);
  }

  private void streamEvents(Response response, Callback callback) {
    BlockingQueue<Event> q = daemon.events().subscribe();
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      out.flush();
      while (true) {
        Event e = q.poll(15, TimeUnit.SECONDS);
        // A blank line now and then finds a client that went away.
        byte[] line = e == null ? "\n".getBytes(StandardCharsets.UTF_8)
            : (Api.MAPPER.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(line);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The client left, or the daemon stops.
    } finally {
      daemon.events().unsubscribe(q);
      callback.succeeded();
    }
  }

  private static void reply(Response response, Callback callback, int status, Object value, List<String> warnings) {
    byte[] json;
    try {
      json = (Api.MAPPER.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      status = 500;
      json = "{\"error\":{\"code\":\"internal\",\"message\":\"cannot write the answer\"}}\n".getBytes(StandardCharsets.UTF_8);
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    for (String w : warnings) {
      response.getHeaders().add(WARNING, w.replaceAll("[^\\x20-\\x7e]", "?"));
    }
    response.write(true, ByteBuffer.wrap(json), callback);
  }

  /** A whole number of seconds from 1 to a day, when the query has it. */
  private static Optional<Duration> seconds(org.eclipse.jetty.server.Request request, String name)
      throws Api.RequestException {
    String v = org.eclipse.jetty.server.Request.extractQueryParameters(request).getValue(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 86_400) {
      throw new Api.RequestException(new ApiError(
          400, "bad-request", "query parameter " + name + "='" + v + "' is not a number of seconds from 1 to 86400",
          "use e.g. " + name + "=30"));
    }
    return Optional.of(Duration.ofSeconds(Integer.parseInt(v)));
  }

  /** A yes/no query parameter such as {@code ?force=1}; a value other than 1/true/0/false is refused. */
  private static boolean flag(org.eclipse.jetty.server.Request request, String name)
      throws Api.RequestException {
    String v = org.eclipse.jetty.server.Request.extractQueryParameters(request).getValue(name);
    return switch (v == null ? "0" : v) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default -> throw new Api.RequestException(new ApiError(
          400, "bad-request", "query parameter " + name + "='" + v + "' is not a yes/no value",
          "use " + name + "=1 or " + name + "=0"));
    };
  }
}
