package gaiola.guest;

import static org.assertj.core.api.Assertions.assertThat;

import gaiola.storage.union.RootStack;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayeredCloneTest {
  @Test
  void theCloneTakesItsOwnTreeWhereTheSourceHadItsAndSharesTheOtherBranchesInOrder() {
    Path vdir = Path.of("/vservers/vs04");
    RootStack source = new RootStack(vdir, RootStack.layersOf(vdir), List.of(
        Path.of("/branches/mask"), RootStack.layersOf(vdir).resolve("tree"), Path.of("/vservers/vsmaster")));
    Path own = RootStack.layersOf(Path.of("/vservers/vs05")).resolve("tree");
    assertThat(LayeredClone.lowers(source, own))
        .containsExactly(Path.of("/branches/mask"), Path.of("/vservers/.layers/vs05/tree"), Path.of("/vservers/vsmaster"));
  }

  @Test
  void aStackWithoutAnOwnTreeIsSharedAsItIs() {
    Path vdir = Path.of("/vservers/vs04");
    RootStack source = new RootStack(vdir, RootStack.layersOf(vdir), List.of(Path.of("/vservers/vsmaster")));
    assertThat(LayeredClone.lowers(source, Path.of("/vservers/.layers/vs05/tree")))
        .containsExactly(Path.of("/vservers/vsmaster"));
  }
}
