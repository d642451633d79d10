package gaiola.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollbackTest {
  @Test
  void undoesNewestFirstWhenNotCommitted() {
    List<String> done = new ArrayList<>();
    try (Rollback r = new Rollback()) {
      r.add(() -> done.add("first"));
      r.add(() -> done.add("second"));
    }
    assertThat(done).containsExactly("second", "first");
  }

  @Test
  void aFailingUndoDoesNotStopTheOthers() {
    List<String> done = new ArrayList<>();
    try (Rollback r = new Rollback()) {
      r.add(() -> done.add("first"));
      r.add(() -> { throw new IllegalStateException("boom"); });
    }
    assertThat(done).containsExactly("first");
  }

  @Test
  void commitKeepsEverything() {
    List<String> done = new ArrayList<>();
    try (Rollback r = new Rollback()) {
      r.add(() -> done.add("undo"));
      r.commit();
    }
    assertThat(done).isEmpty();
  }
}
