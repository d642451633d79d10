package gaiola.proc;

import static gaiola.proc.Processes.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContextMapTest {
  static final long HOST = 100;
  static final long VS01 = 201;
  static final long FOREIGN = 299;

  final ProcessTable table =
      ProcessTable.of(
          List.of(
              info(1, HOST),
              info(2, HOST),
              info(500, 1, VS01, 1, "init", List.of("/sbin/init")),
              info(501, 500, VS01, 2, "sshd", List.of("sshd")),
              info(700, 1, FOREIGN, 1, "pause", List.of("/pause"))),
          HOST,
          Processes.BOOT);

  @Test
  void assignsHostGuestAndForeignNamespaces() {
    ContextMap map = ContextMap.of(table, List.of(new GuestContext(40001, "vs01", 500)));

    assertThat(map.processes())
        .extracting(ContextProcess::contextLabel, ContextProcess::name, ContextProcess::guestPid)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("0", "host", 1L),
            org.assertj.core.groups.Tuple.tuple("0", "host", 2L),
            org.assertj.core.groups.Tuple.tuple("40001", "vs01", 1L),
            org.assertj.core.groups.Tuple.tuple("40001", "vs01", 2L),
            org.assertj.core.groups.Tuple.tuple("-", "(other)", 1L));
    assertThat(map.running()).extracting(GuestContext::name).containsExactly("vs01");
  }

  @Test
  void aGuestWhoseInitIsGoneOrSharesTheHostNamespaceClaimsNothing() {
    ContextMap map =
        ContextMap.of(
            table,
            List.of(new GuestContext(40002, "gone", 999), new GuestContext(40003, "flat", 2)));

    assertThat(map.running()).isEmpty();
    assertThat(map.annotate(table.process(2).orElseThrow()).name()).isEqualTo("host");
    assertThat(map.annotate(table.process(501).orElseThrow()).context())
        .isEqualTo(ContextMap.OTHER_CONTEXT);
  }

  @Test
  void runningGuestsComeInContextOrder() {
    ContextMap map =
        ContextMap.of(
            table, List.of(new GuestContext(40009, "b", 700), new GuestContext(40001, "a", 500)));

    assertThat(map.running()).extracting(GuestContext::context).containsExactly(40001, 40009);
    assertThat(map.guestOf(table.process(700).orElseThrow())).map(GuestContext::name).contains("b");
  }

  @Test
  void guestContextsAreChecked() {
    assertThatThrownBy(() -> new GuestContext(0, "x", 1)).hasMessageContaining("0 is the host");
    assertThatThrownBy(() -> new GuestContext(2, " ", 1)).hasMessageContaining("empty");
    assertThatThrownBy(() -> new GuestContext(2, "x", 0)).hasMessageContaining("positive");
  }
}
