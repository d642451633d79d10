package gaiola.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GuestUnionTest {
  @Test
  void aHiddenPathIsAbsoluteInsideTheGuest() throws Exception {
    assertThat(GuestUnion.insidePath("/usr/portage")).isEqualTo(Path.of("usr/portage"));
    assertThat(GuestUnion.insidePath("/usr//portage/")).isEqualTo(Path.of("usr/portage"));
    for (String bad : new String[] {"usr/portage", "/usr/../../etc", "/..", "/", "/a\0b"}) {
      assertThatThrownBy(() -> GuestUnion.insidePath(bad)).as(bad).isInstanceOf(InvalidInputException.class);
    }
  }
}
