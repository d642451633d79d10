package gaiola.proc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VpsTest {
  static ProcessInfo process(
      long pid,
      long ns,
      long gpid,
      String user,
      char state,
      long cpuSeconds,
      String comm,
      String... argv) {
    return new ProcessInfo(
        pid,
        1,
        1000,
        Optional.ofNullable(user),
        state,
        10_240 * 1024,
        2_048 * 1024,
        Duration.ofSeconds(cpuSeconds),
        Duration.ZERO,
        Duration.ZERO,
        Duration.ZERO,
        Instant.parse("2025-01-01T00:00:00Z"),
        0,
        comm,
        List.of(argv),
        ns,
        gpid);
  }

  final ContextMap map =
      ContextMap.of(
          ProcessTable.of(
              List.of(
                  process(1, 10, 1, "root", 'S', 3, "systemd", "/sbin/init"),
                  process(2, 10, 2, "root", 'S', 0, "kthreadd"),
                  process(4711, 20, 1, "root", 'S', 90061, "init", "init", "3"),
                  process(4720, 20, 14, null, 'R', 65, "httpd", "httpd", "-DFOREGROUND"),
                  process(9000, 30, 1, "root", 'S', 0, "pause", "/pause")),
              10,
              Instant.EPOCH),
          List.of(new GuestContext(40001, "web", 4711)));

  @Test
  void printsOneAlignedLinePerProcess() {
    String text = Vps.text(Vps.select(map, Optional.empty()));

    assertThat(text)
        .isEqualTo(
            """
             PID CONTEXT NAME    GPID USER STAT   VSZ  RSS       TIME COMMAND
               1       0 host       1 root S    10240 2048   00:00:03 /sbin/init
               2       0 host       2 root S    10240 2048   00:00:00 [kthreadd]
            4711   40001 web        1 root S    10240 2048 1-01:01:01 init 3
            4720   40001 web       14 1000 R    10240 2048   00:01:05 httpd -DFOREGROUND
            9000       - (other)    1 root S    10240 2048   00:00:00 /pause
            """);
  }

  @Test
  void selectsOneGuestByName() {
    assertThat(Vps.select(map, Optional.of("web")))
        .extracting(p -> p.process().pid())
        .containsExactly(4711L, 4720L);
    assertThat(Vps.select(map, Optional.of("host"))).hasSize(2);
    assertThat(Vps.select(map, Optional.of("nosuch"))).isEmpty();
    assertThat(Vps.text(List.of()))
        .isEqualTo("PID CONTEXT NAME GPID USER STAT VSZ RSS TIME COMMAND\n");
  }

  @Test
  void rendersJson() throws Exception {
    JsonNode json = new ObjectMapper().readTree(Vps.json(Vps.select(map, Optional.empty())));

    assertThat(json.size()).isEqualTo(5);
    JsonNode httpd = json.get(3);
    assertThat(httpd.get("pid").asLong()).isEqualTo(4720);
    assertThat(httpd.get("context").asInt()).isEqualTo(40001);
    assertThat(httpd.get("name").asText()).isEqualTo("web");
    assertThat(httpd.get("guestPid").asLong()).isEqualTo(14);
    assertThat(httpd.get("user").isNull()).isTrue();
    assertThat(httpd.get("uid").asLong()).isEqualTo(1000);
    assertThat(httpd.get("state").asText()).isEqualTo("R");
    assertThat(httpd.get("vszBytes").asLong()).isEqualTo(10_240 * 1024);
    assertThat(httpd.get("cpuMillis").asLong()).isEqualTo(65_000);
    assertThat(httpd.get("startTime").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(httpd.get("argv").get(1).asText()).isEqualTo("-DFOREGROUND");
    assertThat(httpd.get("command").asText()).isEqualTo("httpd -DFOREGROUND");
    assertThat(json.get(4).get("context").isNull()).isTrue();
  }

  @Test
  void cpuTimeLooksLikePs() {
    assertThat(Vps.cpuTime(Duration.ofMillis(999))).isEqualTo("00:00:00");
    assertThat(Vps.cpuTime(Duration.ofSeconds(3723))).isEqualTo("01:02:03");
    assertThat(Vps.cpuTime(Duration.ofDays(12).plusSeconds(5))).isEqualTo("12-00:00:05");
  }
}
