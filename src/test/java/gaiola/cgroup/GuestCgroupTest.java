package gaiola.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestCgroupTest {
  @Test
  void onAV1HostThePidsHierarchyIsUsed() {
    var lines = List.of("8:pids:/user/gaiola-vs01", "4:memory:/x/gaiola-vs01", "0::/");
    assertThat(GuestCgroup.locate(lines, true)).isEqualTo(Path.of("/sys/fs/cgroup/pids/user/gaiola-vs01"));
  }

  @Test
  void onAV2HostTheUnifiedHierarchyIsUsed() {
    var lines = List.of("0::/system.slice/gaiola-vs01");
    assertThat(GuestCgroup.locate(lines, false)).isEqualTo(Path.of("/sys/fs/cgroup/system.slice/gaiola-vs01"));
  }

  @Test
  void theCurrentProcessHasACgroupWithItselfInIt() throws Exception {
    long self = ProcessHandle.current().pid();
    GuestCgroup cg = GuestCgroup.of(self).orElseThrow();
    assertThat(cg.processes()).contains(self);
  }
}
