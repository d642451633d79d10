package gaiola.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Round trips of the text forms on generated values (a fixed seed per case, so a failure names a
 * reproducible case): what Gaiola writes, it reads back equal.
 */
class RoundTripTest {
  private static final int CASES = 300;

  static Stream<Long> seeds() {
    return IntStream.range(0, CASES).mapToObj(i -> 0x6a101aL * 31 + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fstabFormatThenParseIsIdentity(long seed) throws Exception {
    Random r = new Random(seed);
    List<FstabEntry> entries = new ArrayList<>();
    for (int n = r.nextInt(5); n > 0; n--) {
      entries.add(
          switch (r.nextInt(3)) {
            case 0 ->
                new FstabEntry(
                    "none",
                    path(r),
                    "tmpfs",
                    pick(r, List.of(), List.of("size=16m", "mode=1777"), List.of("ro", "uid=0")));
            case 1 ->
                new FstabEntry(
                    path(r),
                    path(r),
                    "none",
                    pick(r, List.of("bind"), List.of("rbind", "ro", "rslave")));
            default -> new FstabEntry("proc", path(r), "proc", List.of("nosuid", "noexec"));
          });
    }
    assertThat(Fstab.parse(Fstab.format(entries), "vs01/fstab")).isEqualTo(entries);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void interfaceSpecFormatThenParseIsIdentity(long seed) throws Exception {
    Random r = new Random(seed);
    InetAddress ip = r.nextBoolean() ? ipv4(r) : ipv6(r);
    Optional<String> dev =
        r.nextBoolean()
            ? Optional.of(pick(r, "eth0", "br0", "ens3.100", "dead", "beef"))
            : Optional.empty();
    Optional<String> name =
        r.nextBoolean()
            ? Optional.of(word(r, "abcdefghijklmnopqrstuvwxyz0123456789-", 1 + r.nextInt(15)))
            : Optional.empty();
    Interface i =
        new Interface(
            "0", name, dev, ip, r.nextInt(ip.getAddress().length * 8 + 1), dev.isEmpty(), false);
    assertThat(InterfaceSpec.parseSpec(InterfaceSpec.formatSpec(i), "0")).isEqualTo(i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void ipv6FormatParsesBackToTheSameAddress(long seed) {
    InetAddress ip = ipv6(new Random(seed));
    String text = IpLiteral.format(ip);
    assertThat(IpLiteral.parse(text)).contains(ip);
    assertThat(text).doesNotContain(":::").isEqualTo(text.toLowerCase());
  }

  /** An absolute path whose components hold the characters fstab must escape. */
  private static String path(Random r) {
    StringBuilder b = new StringBuilder();
    for (int n = 1 + r.nextInt(3); n > 0; n--) {
      String c;
      do {
        c = word(r, "ab_ \t#\\é0.", 1 + r.nextInt(6));
      } while (c.equals(".") || c.equals(".."));
      b.append('/').append(c);
    }
    return b.toString();
  }

  private static String word(Random r, String chars, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(chars.charAt(r.nextInt(chars.length())));
    }
    return b.toString();
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }

  private static InetAddress ipv4(Random r) {
    byte[] b = new byte[4];
    r.nextBytes(b);
    return address(b);
  }

  /** Few distinct group values, so runs of zero groups (the '::' cases) are frequent. */
  private static InetAddress ipv6(Random r) {
    byte[] b = new byte[16];
    do {
      for (int i = 0; i < 8; i++) {
        int g = pick(r, 0, 0, 0, 1, 0xdb8, 0xffff);
        b[2 * i] = (byte) (g >> 8);
        b[2 * i + 1] = (byte) g;
      }
    } while (isV4Mapped(b));
    return address(b);
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  private static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
