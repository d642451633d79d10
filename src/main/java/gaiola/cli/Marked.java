package gaiola.cli;

import com.fasterxml.jackson.databind.JsonNode;
import gaiola.daemon.Autostart;
import java.util.Map;

/** start-marked and stop-marked: through the daemon when it runs, else in this process. */
final class Marked {
  private Marked() {}

  static int run(CliContext context, String mark, boolean start) throws Exception {
    Autostart.checkMark(mark);
    var daemon = context.daemon();
    String verb = start ? "started" : "stopped";
    JsonNode r;
    if (daemon.isPresent()) {
      var reply = daemon.get().call("POST", "/1.0/marks/" + mark + (start ? "/start" : "/stop"), null);
      context.warnings(reply);
      r = reply.json();
    } else {
      Autostart a = new Autostart(context.layout(), context::guests, (g, n) -> g.start(n), (g, n) -> g.stop(n));
      Map<String, Object> m = start ? a.start(mark) : a.stop(mark);
      r = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(m);
    }
    StringBuilder names = new StringBuilder();
    r.path(verb).forEach(n -> names.append(' ').append(n.asText()));
    context.out().println(verb + " (mark '" + mark + "'):" + (names.isEmpty() ? " none" : names));
    int status = 0;
    for (Map.Entry<String, JsonNode> f : r.path("failed").properties()) {
      context.err().println("gaiola: " + f.getKey() + ": " + f.getValue().asText());
      status = 1;
    }
    return status;
  }
}
