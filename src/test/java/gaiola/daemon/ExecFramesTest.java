package gaiola.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The streamed exec's frames: the exact bytes, a round trip, and hostile or broken streams. */
class ExecFramesTest {
  private static InputStream of(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return new ByteArrayInputStream(b.toByteArray());
  }

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  @Test
  void framesHaveDockersHeader() {
    byte[] hi = "hi\n".getBytes(StandardCharsets.UTF_8);
    assertThat(HexFormat.of().formatHex(ExecFrames.encode(ExecFrames.STDOUT, hi, 0, 3))).isEqualTo("0100000000000003" + "68690a");
    assertThat(HexFormat.of().formatHex(ExecFrames.encode(ExecFrames.STDERR, hi, 1, 1))).isEqualTo("0200000000000001" + "69");
    assertThat(HexFormat.of().formatHex(ExecFrames.exit(3))).isEqualTo("0300000000000004" + "00000003");
    assertThat(HexFormat.of().formatHex(ExecFrames.exit(-1))).isEqualTo("0300000000000004" + "ffffffff");
    assertThat(HexFormat.of().formatHex(ExecFrames.keepAlive())).isEqualTo("0000000000000000");
  }

  @Test
  void aStreamReadsBackFrameByFrameAndEndsCleanlyBetweenFrames() throws Exception {
    byte[] big = new byte[ExecFrames.CHUNK];
    Arrays.fill(big, (byte) 'x');
    InputStream in = of(
        ExecFrames.encode(ExecFrames.STDOUT, big, 0, big.length), ExecFrames.keepAlive(),
        ExecFrames.encode(ExecFrames.STDERR, "oops".getBytes(StandardCharsets.UTF_8), 0, 4), ExecFrames.exit(137));
    ExecFrames.Frame out = ExecFrames.read(in).orElseThrow();
    assertThat(out.type()).isEqualTo(ExecFrames.STDOUT);
    assertThat(out.payload()).isEqualTo(big);
    assertThat(ExecFrames.read(in).orElseThrow().type()).isEqualTo(ExecFrames.KEEPALIVE);
    ExecFrames.Frame err = ExecFrames.read(in).orElseThrow();
    assertThat(new String(err.payload(), StandardCharsets.UTF_8)).isEqualTo("oops");
    ExecFrames.Frame exit = ExecFrames.read(in).orElseThrow();
    assertThat(exit.type()).isEqualTo(ExecFrames.EXIT);
    assertThat(exit.exitStatus()).isEqualTo(137);
    assertThat(ExecFrames.read(in)).isEmpty();
  }

  @Test
  void aHugeLengthIsRefusedBeforeAnythingIsAllocated() {
    // 4 GiB - 1 announced: the reader must neither allocate it nor wait for it.
    assertThatThrownBy(() -> ExecFrames.read(of(hex("01000000ffffffff"), new byte[10])))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("4294967295 bytes, more than 1048576");
    assertThatThrownBy(() -> ExecFrames.read(of(hex("0100000000100001"))))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("1048577 bytes");
  }

  @Test
  void truncatedFramesAreRefused() {
    assertThatThrownBy(() -> ExecFrames.read(of(hex("01000000"))))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("inside a frame header (4 of 8 bytes)");
    assertThatThrownBy(() -> ExecFrames.read(of(hex("0100000000000010"), "short".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("inside a frame (5 of 16 bytes)");
  }

  @Test
  void unknownTypesReservedBytesAndMisSizedControlFramesAreRefused() {
    assertThatThrownBy(() -> ExecFrames.read(of(hex("0400000000000000"))))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("unknown type 4");
    assertThatThrownBy(() -> ExecFrames.read(of(hex("ff00000000000000"))))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("unknown type 255");
    assertThatThrownBy(() -> ExecFrames.read(of(hex("0100010000000000"))))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("reserved");
    assertThatThrownBy(() -> ExecFrames.read(of(hex("030000000000000200"))))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("exit frame of 2 bytes");
    assertThatThrownBy(() -> ExecFrames.read(of(hex("0000000000000001ff"))))
        .isInstanceOf(ExecFrames.BadFrame.class).hasMessageContaining("keep-alive frame of 1 bytes");
  }

  @Test
  void theEncoderRefusesWhatNoReaderWouldTake() {
    assertThatThrownBy(() -> ExecFrames.encode(7, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExecFrames.encode(ExecFrames.STDOUT, new byte[ExecFrames.MAX_PAYLOAD + 1], 0, ExecFrames.MAX_PAYLOAD + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chunkedInputJoinsChunksAndRefusesABadSize() throws Exception {
    InputStream in = new ChunkedInput(of("3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
    assertThatThrownBy(() -> new ChunkedInput(of("zz\r\n".getBytes(StandardCharsets.US_ASCII))).read())
        .hasMessageContaining("bad chunk size 'zz'");
    assertThatThrownBy(() -> new ChunkedInput(of("-5\r\nabc".getBytes(StandardCharsets.US_ASCII))).read())
        .hasMessageContaining("bad chunk size '-5'");
    assertThatThrownBy(() -> new ChunkedInput(of("10\r\nabc".getBytes(StandardCharsets.US_ASCII))).readAllBytes())
        .hasMessageContaining("inside a chunk");
  }
}
