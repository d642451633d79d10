package gaiola.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics as Prometheus's text format 0.0.4 has them, escaping included. */
class PrometheusTextTest {
  @Test
  void familiesHaveHelpAndTypeThenTheirSamples() {
    String text = new PrometheusText()
        .family("gaiola_api_requests_total", "counter", "API requests served.").sample(42)
        .family("gaiola_daemon_uptime_seconds", "gauge", "Seconds since start.").sample(1.5)
        .text();
    assertThat(text).isEqualTo("""
        # HELP gaiola_api_requests_total API requests served.
        # TYPE gaiola_api_requests_total counter
        gaiola_api_requests_total 42
        # HELP gaiola_daemon_uptime_seconds Seconds since start.
        # TYPE gaiola_daemon_uptime_seconds gauge
        gaiola_daemon_uptime_seconds 1.5
        """);
  }

  @Test
  void labelValuesEscapeBackslashQuoteAndNewline() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("name", "a\\b\"c\nd");
    labels.put("path", "C:\\");
    String text = new PrometheusText().family("m", "gauge", "help with \\ and\nnewline").sample(labels, 1).text();
    assertThat(text).isEqualTo("""
        # HELP m help with \\\\ and\\nnewline
        # TYPE m gauge
        m{name="a\\\\b\\"c\\nd",path="C:\\\\"} 1
        """);
    // A help text keeps its double quotes: only label values escape them.
    assertThat(new PrometheusText().family("q", "gauge", "say \"hi\"").text()).startsWith("# HELP q say \"hi\"\n");
  }

  @Test
  void valuesAreWholeNumbersNaNOrInfinityByName() {
    assertThat(PrometheusText.value(3)).isEqualTo("3");
    assertThat(PrometheusText.value(-0.0)).isEqualTo("0");
    assertThat(PrometheusText.value(1e20)).isEqualTo("1.0E20");
    assertThat(PrometheusText.value(0.25)).isEqualTo("0.25");
    assertThat(PrometheusText.value(Double.NaN)).isEqualTo("NaN");
    assertThat(PrometheusText.value(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(PrometheusText.value(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void badNamesTypesAndRepeatedFamiliesAreRefused() {
    assertThatThrownBy(() -> new PrometheusText().family("9lives", "gauge", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrometheusText().family("m", "histogramish", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrometheusText().family("m", "gauge", "x").family("m", "gauge", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrometheusText().family("m", "gauge", "x").sample(Map.of("bad-name", "v"), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrometheusText().family("m", "gauge", "x").sample(Map.of("__reserved", "v"), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrometheusText().sample(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void guestsGetOneSampleEachAndStoppedOnesNoUptime() {
    List<GuestView> views = List.of(
        new GuestView("vs01", 1001, "/vservers/vs01", "running", 4242L, 3, 120, "no", 2, "reboot", null),
        new GuestView("vs02", 1002, "/vservers/vs02", "stopped", null, 0, 0, "no", 0, null, null));
    PrometheusText t = new PrometheusText();
    Daemon.guestFamilies(t, views);
    assertThat(t.text())
        .contains("# TYPE gaiola_guest_running gauge\ngaiola_guest_running{name=\"vs01\"} 1\ngaiola_guest_running{name=\"vs02\"} 0\n")
        .contains("# TYPE gaiola_guest_restarts_total counter\ngaiola_guest_restarts_total{name=\"vs01\"} 2\ngaiola_guest_restarts_total{name=\"vs02\"} 0\n")
        .contains("gaiola_guest_uptime_seconds{name=\"vs01\"} 120\n")
        .contains("gaiola_guest_processes{name=\"vs01\"} 3\n")
        .doesNotContain("gaiola_guest_uptime_seconds{name=\"vs02\"}");
    // Every line is a comment or a sample: no blank line, no stray text.
    assertThat(t.text().lines()).allMatch(l -> l.startsWith("# HELP ") || l.startsWith("# TYPE ") || l.matches("gaiola_guest_\\w+\\{name=\"vs0[12]\"} \\d+"));
  }
}
