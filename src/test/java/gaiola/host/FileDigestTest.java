package gaiola.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileDigestTest {
  private static byte[] digestOf(FileDigest d, Path file, long expected, long[] read) throws IOException {
    int fd = FileCalls.openat(FileCalls.AT_FDCWD, FileCalls.bytes(file.toString()), FileCalls.O_RDONLY, 0);
    try {
      return d.of(fd, expected, read, FileCalls.bytes(file.toString()));
    } finally {
      FileCalls.close(fd);
    }
  }

  @Test
  void libcryptoIsFoundOnThisHost() {
    // Debian's libssl3 is installed by the set-up; without it the JDK's digest stands in.
    assumeThat(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))).isTrue();
    assertThat(FileDigest.usesLibcrypto()).isTrue();
  }

  @Test
  void theKnownDigestOfAbc() throws IOException {
    Path f = Files.createTempFile("digest", ".txt");
    try {
      Files.writeString(f, "abc");
      for (boolean lib : new boolean[] {true, false}) {
        long[] read = new long[1];
        assertThat(HexFormat.of().formatHex(digestOf(new FileDigest(lib), f, 3, read)))
            .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(read[0]).isEqualTo(3);
      }
    } finally {
      Files.delete(f);
    }
  }

  /** Sizes around the read buffer's (256 KiB) and random ones, each with a size off by -3..3. */
  static Stream<Arguments> cases() {
    Random r = new Random(20261202);
    Stream<Integer> edges = Stream.of(0, 1, 63, 64, 65, 262_143, 262_144, 262_145, 524_288 + 7);
    Stream<Integer> random = Stream.generate(() -> r.nextInt(700_000)).limit(30);
    return Stream.concat(edges, random).map(size -> Arguments.of(size, r.nextInt(7) - 3, r.nextLong()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void libcryptoAndTheJdkAgreeAndReadingStopsAtTheExpectedSize(int size, int skew, long seed) throws Exception {
    byte[] content = new byte[size];
    new java.util.Random(seed).nextBytes(content);
    Path f = Files.createTempFile("digest", ".bin");
    try {
      Files.write(f, content);
      long expected = Math.max(0, size + skew);
      int hashedBytes = (int) Math.min(size, expected);
      byte[] want = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(content, hashedBytes));
      for (boolean lib : new boolean[] {true, false}) {
        long[] read = new long[1];
        assertThat(digestOf(new FileDigest(lib), f, expected, read)).isEqualTo(want);
        assertThat(read[0]).isEqualTo(hashedBytes);
      }
    } finally {
      Files.delete(f);
    }
  }

  @Test
  void oneDigestHashesFileAfterFile() throws IOException {
    Path a = Files.createTempFile("digest", ".a");
    Path b = Files.createTempFile("digest", ".b");
    try {
      Files.writeString(a, "abc");
      Files.writeString(b, "");
      FileDigest d = new FileDigest();
      long[] read = new long[1];
      digestOf(d, a, 3, read);
      assertThat(HexFormat.of().formatHex(digestOf(d, b, 0, read)))
          .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    } finally {
      Files.delete(a);
      Files.delete(b);
    }
  }
}
