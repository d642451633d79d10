package gaiola.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.storage.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken archives: nothing outside the new tree is ever touched (a canary file and an
 * outside directory stay exactly as they were), and the failing entry is named.
 */
class TarUnpackTest {
  @TempDir Path dir;
  Path root;
  Path outside;
  Path canary;
  Map<String, String> before;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectory(dir.resolve("guest"));
    outside = Files.createDirectory(dir.resolve("outside"));
    canary = outside.resolve("canary");
    Files.writeString(canary, "untouched\n");
    before = Manifest.of(outside);
  }

  private Path archive(byte[] data) throws IOException {
    return Files.write(dir.resolve("t.tar"), data);
  }

  private void assertOutsideUntouched() throws Exception {
    assertThat(Manifest.of(outside)).isEqualTo(before);
    assertThat(Files.readString(canary)).isEqualTo("untouched\n");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("guest", "outside", "t.tar");
    }
  }

  private void assertRefused(byte[] data, String... said) throws Exception {
    assertThatThrownBy(() -> TarUnpack.unpack(archive(data), root, Progress.NONE))
        .isInstanceOf(IOException.class)
        .message().contains(said);
    assertOutsideUntouched();
  }

  @Test
  void anAbsolutePathIsRefused() throws Exception {
    assertRefused(new RawTar().file(canary.toString(), "pwned").end(), canary.toString(), "absolute path");
  }

  @Test
  void dotDotIsRefused() throws Exception {
    assertRefused(new RawTar().dir("etc").file("etc/../../outside/canary", "pwned").end(), "'..'");
  }

  @Test
  void aLinkPlantedEarlierIsNeverWrittenThrough() throws Exception {
    assertRefused(
        new RawTar().symlink("evil", outside.toString()).file("evil/canary", "pwned").end(),
        "entry 'evil/canary'", "not a directory");
  }

  @Test
  void aLinkToTheRootPlantedEarlierIsNeverFollowedDeeper() throws Exception {
    assertRefused(
        new RawTar().symlink("up", "/").dir("up" + outside).file("up" + canary, "pwned").end(),
        "'up' is not a directory");
  }

  @Test
  void aHardLinkOutsideTheTreeIsRefused() throws Exception {
    assertRefused(new RawTar().hardlink("hl", canary.toString()).end(), "link target", "absolute path");
    assertRefused(new RawTar().hardlink("hl", "../outside/canary").end(), "link target", "'..'");
  }

  @Test
  void aHardLinkThroughAPlantedLinkIsRefused() throws Exception {
    assertRefused(new RawTar().symlink("o", outside.toString()).hardlink("hl", "o/canary").end(), "'o' is not a directory");
  }

  @Test
  void aFileOverAPlantedLinkReplacesTheLinkNotItsTarget() throws Exception {
    TarUnpack.unpack(archive(new RawTar().symlink("victim", canary.toString()).file("victim", "inside").end()), root, Progress.NONE);
    assertThat(Files.isSymbolicLink(root.resolve("victim"))).isFalse();
    assertThat(Files.readString(root.resolve("victim"))).isEqualTo("inside");
    assertOutsideUntouched();
  }

  @Test
  void aFileWhereAFifoWasPlantedReplacesTheNodeWithoutOpeningIt() throws Exception {
    TarUnpack.unpack(archive(new RawTar().entry("node", '6', "", new byte[0]).file("node", "plain").end()), root, Progress.NONE);
    assertThat(Files.isRegularFile(root.resolve("node"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.readString(root.resolve("node"))).isEqualTo("plain");
    assertOutsideUntouched();
  }

  @Test
  void paxAndGnuLongNamesAreCheckedLikeAnyOther() throws Exception {
    assertRefused(new RawTar().pax("path", "../outside/canary").file("harmless", "pwned").end(), "'..'");
    assertRefused(new RawTar().longName(canary.toString()).file("harmless", "pwned").end(), "absolute path");
    assertRefused(new RawTar().pax("linkpath", "../../outside/canary").hardlink("hl", "x").end(), "'..'");
  }

  @Test
  void aTruncatedArchiveIsSaidToBe() throws Exception {
    byte[] whole = new RawTar().file("a", "x".repeat(2000)).end();
    assertRefused(java.util.Arrays.copyOf(whole, 1000), "truncated");
    assertRefused(new RawTar().file("a", "x").cut(), "truncated");
  }

  @Test
  void aCorruptHeaderIsSaidToBe() throws Exception {
    byte[] data = new RawTar().file("a", "x").end();
    data[10] ^= 0x55;
    assertRefused(data, "checksum");
  }

  @Test
  void anUnknownCompressionIsNamed() throws Exception {
    byte[] lz4 = {0x04, 0x22, 0x4d, 0x18, 1, 2, 3, 4};
    assertRefused(lz4, "lz4");
    assertRefused("just some text, not an archive".getBytes(), "neither a tar archive");
  }

  @Test
  void sparseAndUnknownEntryTypesAreRefused() throws Exception {
    assertRefused(new RawTar().entry("s", 'S', "", new byte[0]).end(), "sparse");
    assertRefused(new RawTar().entry("q", 'Q', "", new byte[0]).end(), "unknown entry type 'Q'");
  }

  @Test
  void binaryExtendedAttributeValuesAreKeptByteForByte() throws Exception {
    // A pax record's value is bytes: a capability set is not UTF-8.
    byte[] value = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfe, 0, 0};
    java.io.ByteArrayOutputStream rec = new java.io.ByteArrayOutputStream();
    byte[] key = "SCHILY.xattr.user.bin=".getBytes();
    int len = 1 + key.length + value.length + 1;
    len += Integer.toString(len + 2).length() + 0;
    String prefix = len + " ";
    rec.writeBytes(prefix.getBytes());
    rec.writeBytes(key);
    rec.writeBytes(value);
    rec.write('\n');
    byte[] records = rec.toByteArray();
    assertThat(records.length).isEqualTo(len);
    Map<String, byte[]> parsed = new java.util.LinkedHashMap<>();
    TarReader.parsePax(records, parsed);
    assertThat(parsed.get("SCHILY.xattr.user.bin")).isEqualTo(value);
  }

  @Test
  void aRegularArchiveUnpacksWithItsLinks() throws Exception {
    TarUnpack.unpack(archive(new RawTar().dir("./").dir("etc/").file("etc/a", "A").hardlink("etc/b", "etc/a")
        .symlink("etc/c", "/etc/a").file("deep/er/f", "made parents").end()), root, Progress.NONE);
    assertThat(Files.readString(root.resolve("etc/b"))).isEqualTo("A");
    assertThat(Files.getAttribute(root.resolve("etc/b"), "unix:nlink")).isEqualTo(2);
    assertThat(Files.readSymbolicLink(root.resolve("etc/c")).toString()).isEqualTo("/etc/a");
    assertThat(Files.readString(root.resolve("deep/er/f"))).isEqualTo("made parents");
    assertThat(List.of(Files.getLastModifiedTime(root.resolve("etc")).toMillis())).containsExactly(1_700_000_000_000L);
    assertOutsideUntouched();
  }
}
