package gaiola.storage.unify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ObjectKeyTest {
  static final byte[] DIGEST = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      DIGEST[i] = (byte) (i * 7 + 1);
    }
  }

  @Test
  void theNameCarriesDigestModeOwnerGroupAndTime() {
    ObjectKey k = new ObjectKey(DIGEST, 0100644, 0, 0, true, 1_700_000_000L, 5);
    Path p = k.relativePath();
    assertThat(p.getNameCount()).isEqualTo(2);
    assertThat(p.getName(0).toString()).isEqualTo("01");
    assertThat(p.getFileName().toString()).startsWith("08");
    assertThat(p.getFileName().toString()).endsWith("-644-0-0-1700000000.000000005");
  }

  @Test
  void metadataDifferencesGiveDifferentObjects() {
    ObjectKey base = new ObjectKey(DIGEST, 0644, 0, 0, true, 10, 0);
    assertThat(new ObjectKey(DIGEST, 0600, 0, 0, true, 10, 0)).isNotEqualTo(base);
    assertThat(new ObjectKey(DIGEST, 0644, 1000, 0, true, 10, 0)).isNotEqualTo(base);
    assertThat(new ObjectKey(DIGEST, 0644, 0, 100, true, 10, 0)).isNotEqualTo(base);
    assertThat(new ObjectKey(DIGEST, 0644, 0, 0, true, 11, 0)).isNotEqualTo(base);
    assertThat(new ObjectKey(DIGEST, 0644, 0, 0, true, 10, 0)).isEqualTo(base);
  }

  @Test
  void withoutMtimeTheTimeIsNotPartOfTheKey() {
    assertThat(new ObjectKey(DIGEST, 0644, 0, 0, false, 10, 0))
        .isEqualTo(new ObjectKey(DIGEST, 0644, 0, 0, false, 99, 7));
  }

  @Test
  void largeUidsAreUnsigned() {
    ObjectKey k = new ObjectKey(DIGEST, 0644, -2, -2, false, 0, 0);
    assertThat(k.relativePath().getFileName().toString()).endsWith("-4294967294-4294967294");
  }

  @Test
  void aDigestMustHave32Bytes() {
    assertThatThrownBy(() -> new ObjectKey(new byte[20], 0644, 0, 0, false, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
