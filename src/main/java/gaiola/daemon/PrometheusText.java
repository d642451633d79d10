package gaiola.daemon;

import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Prometheus's text exposition format 0.0.4: each family once, as {@code # HELP} and {@code #
 * TYPE} lines followed by its samples, label values escaped (backslash, double quote, newline).
 */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "untyped");

  private final StringBuilder text = new StringBuilder();
  private final Set<String> families = new HashSet<>();
  private String family;

  /** Starts a family; the samples that follow belong to it. */
  PrometheusText family(String name, String type, String help) {
    if (!METRIC.matcher(name).matches() || !TYPES.contains(type) || !families.add(name)) {
      throw new IllegalArgumentException("metric family '" + name + "' of type '" + type + "' is not valid here");
    }
    family = name;
    text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  PrometheusText sample(double value) {
    return sample(Map.of(), value);
  }

  /** A sample of the current family, its labels in the map's order. */
  PrometheusText sample(Map<String, String> labels, double value) {
    if (family == null) {
      throw new IllegalStateException("a sample before any family");
    }
    text.append(family);
    if (!labels.isEmpty()) {
      text.append('{');
      String sep = "";
      for (Map.Entry<String, String> l : labels.entrySet()) {
        if (!LABEL.matcher(l.getKey()).matches() || l.getKey().startsWith("__")) {
          throw new IllegalArgumentException("label name '" + l.getKey() + "' is not valid");
        }
        text.append(sep).append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
        sep = ",";
      }
      text.append('}');
    }
    text.append(' ').append(value(value)).append('\n');
    return this;
  }

  /** One label, as most per-guest samples have. */
  static Map<String, String> label(String name, String value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(name, value);
    return m;
  }

  String text() {
    return text.toString();
  }

  static String escapeLabel(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String escapeHelp(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /** Whole numbers without a fraction, as Prometheus's own clients print them; NaN and ±Inf by name. */
  static String value(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
