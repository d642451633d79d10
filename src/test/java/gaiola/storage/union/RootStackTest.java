package gaiola.storage.union;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootStackTest {
  @TempDir Path dir;

  @Test
  void branchesRoundTripTopFirst() throws Exception {
    Path vdir = dir.resolve("vservers/vs04");
    RootStack s = new RootStack(vdir, RootStack.layersOf(vdir), List.of(Path.of("/a"), Path.of("/b/c")));
    s.write(dir.resolve("cfg"));
    RootStack back = RootStack.read(dir.resolve("cfg"), vdir).orElseThrow();
    assertThat(back.lowers()).containsExactly(Path.of("/a"), Path.of("/b/c"));
    assertThat(back.upper()).isEqualTo(dir.resolve("vservers/.layers/vs04/upper"));
    assertThat(back.ownTree()).isEqualTo(dir.resolve("vservers/.layers/vs04/tree"));
    assertThat(RootStack.read(dir.resolve("none"), vdir)).isEmpty();
  }

  @Test
  void branchesThatOverlayfsCannotNameAreRefused() throws Exception {
    for (String bad : List.of("relative", "/a:b", "/a,b", "/a\\b")) {
      Files.createDirectories(dir.resolve("cfg/union"));
      Files.writeString(dir.resolve("cfg/union/branches"), bad + "\n");
      assertThatThrownBy(() -> RootStack.read(dir.resolve("cfg"), dir.resolve("v")))
          .as(bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("branches:1");
    }
    Files.writeString(dir.resolve("cfg/union/branches"), "# nothing\n");
    assertThatThrownBy(() -> RootStack.read(dir.resolve("cfg"), dir.resolve("v")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("names no branch");
  }

  @Test
  void mountinfoEscapesAreDecoded() {
    assertThat(Mounts.unescape("/a\\040b")).isEqualTo("/a b");
    assertThat(Mounts.unescape("/a\\134b")).isEqualTo("/a\\b");
    assertThat(Mounts.unescape("/plain")).isEqualTo("/plain");
    assertThat(Mounts.unescape("/end\\04")).isEqualTo("/end\\04");
  }
}
