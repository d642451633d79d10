package gaiola.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class WalkAheadTest {
  @TempDir Path dir;

  @Test
  void entriesArriveInTheWalksOrderAndThenTheEnd() throws Exception {
    Files.createDirectories(dir.resolve("b/c"));
    Files.writeString(dir.resolve("a"), "a");
    Files.writeString(dir.resolve("b/c/d"), "d");
    List<String> seen = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(dir); WalkAhead ahead = new WalkAhead(walk, Progress.NONE)) {
      for (TreeWalk.Found f; (f = ahead.next()) != null; ) {
        seen.add(new String(f.entry().path()));
      }
      assertThat(ahead.next()).isNull();
    }
    assertThat(seen).containsExactly("", "a", "b", "b/c", "b/c/d");
  }

  @Test
  void theWalksFailureIsThrownToTheTaker() throws Exception {
    try (TreeWalk walk = new TreeWalk(dir.resolve("missing")); WalkAhead ahead = new WalkAhead(walk, Progress.NONE)) {
      assertThatThrownBy(ahead::next).isInstanceOf(IOException.class).hasMessageContaining("missing");
    }
  }

  @Test
  @Timeout(30)
  void aTakerThatStopsEarlyStopsTheWalkerBlockedOnAFullQueue() throws Exception {
    for (int i = 0; i < 5000; i++) {
      Files.createFile(dir.resolve("f" + i));
    }
    TreeWalk walk = new TreeWalk(dir);
    WalkAhead ahead = new WalkAhead(walk, Progress.NONE);
    assertThat(ahead.next()).isNotNull();
    Thread.sleep(Duration.ofMillis(200));
    ahead.close();
    walk.close();
  }
}
