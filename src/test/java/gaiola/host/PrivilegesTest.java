package gaiola.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrivilegesTest {
  @Test
  void theEffectiveUidFromProcIsTheCLibrarysOne() {
    assertThat(Privileges.effectiveUid()).isEqualTo(Native.geteuid());
    assertThat(Privileges.isRoot()).isEqualTo(Native.geteuid() == 0);
  }
}
