package gaiola.proc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VserverStatTest {
  static final Instant BOOT = Instant.parse("2025-01-01T00:00:00Z");

  static ProcessInfo process(
      long pid, long ns, long vsz, long rss, long userMs, long childUserMs, Instant start) {
    return new ProcessInfo(
        pid,
        1,
        0,
        Optional.empty(),
        'S',
        vsz,
        rss,
        Duration.ofMillis(userMs),
        Duration.ofMillis(userMs / 10),
        Duration.ofMillis(childUserMs),
        Duration.ZERO,
        start,
        0,
        "x",
        List.of("x"),
        ns,
        pid);
  }

  final ProcessTable table =
      ProcessTable.of(
          List.of(
              process(1, 10, 100L << 20, 10L << 20, 1000, 0, BOOT.plusSeconds(1)),
              process(2, 10, 0, 0, 0, 0, BOOT.plusSeconds(1)),
              process(3000, 20, 12_345_678, 512, 200, 20, BOOT.plusSeconds(3600)),
              process(3001, 20, 1 << 30, 1536, 0, 0, BOOT.plusSeconds(7200)),
              process(5000, 30, 1000, 0, 0, 0, BOOT.plusSeconds(80_000))),
          10,
          BOOT);
  final ContextMap map = ContextMap.of(table, List.of(new GuestContext(40001, "vs01", 3000)));
  final Instant now = BOOT.plus(Duration.ofDays(2)).plusSeconds(3 * 3600 + 12 * 60);

  @Test
  void sumsEachContextHostFirstOthersLast() {
    List<VserverStat.Row> rows = VserverStat.rows(map, now);

    assertThat(rows).extracting(VserverStat.Row::name).containsExactly("host", "vs01", "(other)");
    VserverStat.Row guest = rows.get(1);
    assertThat(guest.processes()).isEqualTo(2);
    assertThat(guest.vszBytes()).isEqualTo(12_345_678 + (1L << 30));
    assertThat(guest.userTime()).isEqualTo(Duration.ofMillis(220));
    assertThat(guest.uptime()).isEqualTo(Duration.between(BOOT.plusSeconds(3600), now));
    assertThat(rows.get(0).uptime()).isEqualTo(Duration.between(BOOT, now));
    assertThat(rows.get(2).uptime()).isEqualTo(Duration.between(BOOT.plusSeconds(80_000), now));
  }

  @Test
  void printsUtilVserverColumns() {
    assertThat(VserverStat.text(VserverStat.rows(map, now)))
        .isEqualTo(
            """
            CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME
            0        2   100M    10M   0m01s00   0m00s10   2d03h12 host
            40001    2     1G     2K   0m00s22   0m00s02   2d02h12 vs01
            -        1   0.9K     0    0m00s00   0m00s00   1d04h58 (other)
            """);
  }

  @Test
  void shortensSizesAsVserverStatDoes() {
    assertThat(VserverStat.memory(0)).isEqualTo("0 ");
    assertThat(VserverStat.memory(999)).isEqualTo("999 ");
    assertThat(VserverStat.memory(1000)).isEqualTo("0.9K");
    assertThat(VserverStat.memory(1024)).isEqualTo("1K");
    assertThat(VserverStat.memory(1536)).isEqualTo("1.5K");
    assertThat(VserverStat.memory(12_345_678)).isEqualTo("11.7M");
    assertThat(VserverStat.memory(4L << 30)).isEqualTo("4G");
    assertThat(VserverStat.memory(Long.MAX_VALUE)).isEqualTo("8191P");
  }

  @Test
  void shortensTimesAsVserverStatDoes() {
    assertThat(VserverStat.time(Duration.ofMillis(200))).isEqualTo("0m00s20");
    assertThat(VserverStat.time(Duration.ofMillis(59_999))).isEqualTo("0m59s99");
    assertThat(VserverStat.time(Duration.ofSeconds(2 * 3600 + 3 * 60 + 12))).isEqualTo("2h03m12");
    assertThat(VserverStat.time(Duration.ofDays(5).plusHours(7).plusMinutes(45)))
        .isEqualTo("5d07h45");
    assertThat(VserverStat.time(Duration.ofDays(1000).plusHours(7))).isEqualTo("2y270d07");
    assertThat(VserverStat.time(Duration.ofDays(1_000_000))).isEqualTo("INVALID");
  }

  @Test
  void rendersJson() throws Exception {
    JsonNode json = new ObjectMapper().readTree(VserverStat.json(VserverStat.rows(map, now)));

    assertThat(json.get(0).get("context").asInt()).isZero();
    assertThat(json.get(1).get("name").asText()).isEqualTo("vs01");
    assertThat(json.get(1).get("processes").asInt()).isEqualTo(2);
    assertThat(json.get(1).get("userMillis").asLong()).isEqualTo(220);
    assertThat(json.get(1).get("uptimeMillis").asLong())
        .isEqualTo(Duration.between(BOOT.plusSeconds(3600), now).toMillis());
    assertThat(json.get(2).get("context").isNull()).isTrue();
  }
}
