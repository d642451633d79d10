package gaiola.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.ConflictException;
import gaiola.error.InvalidInputException;
import gaiola.error.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestRegistryTest {
  @TempDir Path tmp;
  HostLayout layout;
  GuestRegistry registry;

  @BeforeEach
  void setUp() {
    layout = new HostLayout(tmp);
    registry = new GuestRegistry(layout);
  }

  private Path guest(String dirName, String context) throws IOException {
    Path d = Files.createDirectories(layout.configBase().resolve(dirName));
    if (context != null) {
      Files.writeString(d.resolve("context"), context + "\n");
    }
    return d;
  }

  private static GuestName n(String s) {
    return new GuestName(s);
  }

  @Test
  void noConfigDirectoryMeansNoGuests() throws Exception {
    assertThat(registry.names()).isEmpty();
    assertThat(registry.nextFreeContext()).isEqualTo(new ContextId(40000));
    assertThat(registry.byContext(new ContextId(40000))).isEmpty();
  }

  @Test
  void namesAreGuestDirectoriesOnly() throws Exception {
    guest("vs02", "40001");
    guest("vs01", "40000");
    guest(".defaults", null);
    guest("my guest", "40002");
    Files.writeString(layout.configBase().resolve("stray-file"), "x");
    List<String> notes = new ArrayList<>();
    assertThat(registry.names(notes::add)).containsExactly(n("vs01"), n("vs02"));
    assertThat(notes).containsExactly("my guest: ignored (not a valid guest name)");
    assertThat(registry.exists(n("vs01"))).isTrue();
    assertThat(registry.exists(n("stray-file"))).isFalse();
    assertThat(registry.exists(n("vs09"))).isFalse();
  }

  @Test
  void loadOfAMissingGuestSaysHowToFindOrBuildOne() {
    assertThatThrownBy(() -> registry.load(n("vs09"), note -> {}))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("guest 'vs09' does not exist")
        .satisfies(
            e ->
                assertThat(((NotFoundException) e).hint())
                    .contains(
                        "list guests with 'gaiola list', or build it with 'gaiola vserver vs09"
                            + " build -m busybox'"));
  }

  @Test
  void loadReadsTheDirectoryAndRefusesAForeignName() throws Exception {
    guest("vs01", "40000");
    assertThat(registry.load(n("vs01"), note -> {}).context()).isEqualTo(new ContextId(40000));
    Files.writeString(layout.configDir(n("vs01")).resolve("name"), "web\n");
    assertThatThrownBy(() -> registry.load(n("vs01"), note -> {}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("vs01/name: 'web' differs from the directory name 'vs01'");
  }

  @Test
  void holderOfContextSkipsTheGuestAskingAndMalformedFiles() throws Exception {
    guest("vs01", "40000");
    guest("vs02", "garbage");
    guest("vs03", "1001");
    ContextId c = new ContextId(40000);
    assertThat(registry.holderOfContext(c, null)).contains(n("vs01"));
    assertThat(registry.holderOfContext(c, n("vs01"))).isEmpty();
    assertThat(registry.holderOfContext(c, n("vs03"))).contains(n("vs01"));
    assertThat(registry.byContext(new ContextId(1001))).isEqualTo(Optional.of(n("vs03")));
    assertThat(registry.byContext(new ContextId(1002))).isEmpty();
  }

  @Test
  void nextFreeContextFillsTheFirstGapFrom40000() throws Exception {
    guest("vs01", "40000");
    guest("vs02", "40001");
    guest("vs03", "40003");
    guest("bad name", "40002");
    assertThat(registry.nextFreeContext()).isEqualTo(new ContextId(40004));
  }

  @Test
  void nextFreeContextHonoursContextNext() throws Exception {
    guest("vs01", "40500");
    guest(".defaults", null);
    Path next = layout.defaults().resolve("context.next");
    Files.writeString(next, "40500\n");
    assertThat(registry.nextFreeContext()).isEqualTo(new ContextId(40501));
    Files.writeString(next, "100\n");
    assertThat(registry.nextFreeContext()).isEqualTo(new ContextId(40000));
    Files.writeString(next, "soon\n");
    assertThat(registry.nextFreeContext()).isEqualTo(new ContextId(40000));
    Files.writeString(next, "49151\n");
    guest("vs02", "49151");
    assertThatThrownBy(registry::nextFreeContext)
        .isInstanceOf(ConflictException.class)
        .hasMessage("no free context id from 49151 to 49151");
  }
}
