package gaiola.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestName;
import gaiola.error.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyArgumentsTest {
  @Test
  void aCloneIsFullUnlessLayeredIsGiven() throws Exception {
    assertThat(BuildMethod.parse("clone", List.of("--source", "vs01")))
        .isEqualTo(new BuildMethod.Clone(new GuestName("vs01"), false));
    assertThat(BuildMethod.parse("clone", List.of("--source=vs01", "--layered")))
        .isEqualTo(new BuildMethod.Clone(new GuestName("vs01"), true));
    assertThat(BuildMethod.parse("clone", List.of("--layered", "-s", "vs01")))
        .isEqualTo(new BuildMethod.Clone(new GuestName("vs01"), true));
  }

  @Test
  void badCloneArgumentsAreNamed() {
    assertThatThrownBy(() -> BuildMethod.parse("clone", List.of("--layered")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs --source");
    assertThatThrownBy(() -> BuildMethod.parse("clone", List.of("--source", "vs01", "--layer")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'--layer'");
    assertThatThrownBy(() -> BuildMethod.parse("clone", List.of("--source", "vs01", "--source", "vs02")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'vs02'");
    assertThatThrownBy(() -> BuildMethod.parse("template", List.of("-t", "base", "--layered")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'--layered'");
  }
}
