package gaiola.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The streamed exec's answer, as Docker frames its attach stream: an 8-byte header (type, three
 * zero bytes, the payload's length as a 32-bit big-endian number) and the payload. Types: 0
 * keep-alive (empty), 1 stdout, 2 stderr, 3 exit status (4 bytes, big-endian), always last.
 */
final class ExecFrames {
  private ExecFrames() {}

  static final int KEEPALIVE = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int EXIT = 3;
  static final int HEADER = 8;
  /** The largest payload a reader accepts; the daemon sends at most {@link #CHUNK}. */
  static final int MAX_PAYLOAD = 1 << 20;
  static final int CHUNK = 32 * 1024;

  /** One frame read back. */
  record Frame(int type, byte[] payload) {
    int exitStatus() {
      return ByteBuffer.wrap(payload).getInt();
    }
  }

  /** A stream that breaks the format: the reader stops there. */
  static final class BadFrame extends IOException {
    BadFrame(String message) {
      super(message);
    }
  }

  /** Header and payload in one array, so that one write sends the frame whole. */
  static byte[] encode(int type, byte[] data, int offset, int length) {
    if (type < KEEPALIVE || type > EXIT || length < 0 || length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("no frame of type " + type + " and length " + length);
    }
    return ByteBuffer.allocate(HEADER + length).put((byte) type).put(new byte[3]).putInt(length)
        .put(data, offset, length).array();
  }

  static byte[] exit(int status) {
    return encode(EXIT, ByteBuffer.allocate(4).putInt(status).array(), 0, 4);
  }

  static byte[] keepAlive() {
    return encode(KEEPALIVE, new byte[0], 0, 0);
  }

  /**
   * The next frame, or empty when the stream ends cleanly between two frames. A header with an
   * unknown type, non-zero reserved bytes or a length over {@link #MAX_PAYLOAD}, or a stream that
   * ends inside a frame, is a {@link BadFrame}: nothing of it is allocated or passed on.
   */
  static Optional<Frame> read(InputStream in) throws IOException {
    byte[] h = in.readNBytes(HEADER);
    if (h.length == 0) {
      return Optional.empty();
    }
    if (h.length < HEADER) {
      throw new BadFrame("exec stream ended inside a frame header (" + h.length + " of 8 bytes)");
    }
    int type = h[0] & 0xff;
    long length = ByteBuffer.wrap(h, 4, 4).getInt() & 0xffffffffL;
    if (type > EXIT) {
      throw new BadFrame("exec stream has a frame of unknown type " + type);
    }
    if (h[1] != 0 || h[2] != 0 || h[3] != 0) {
      throw new BadFrame("exec stream has a frame header with non-zero reserved bytes");
    }
    if (length > MAX_PAYLOAD) {
      throw new BadFrame("exec stream has a frame of " + length + " bytes, more than " + MAX_PAYLOAD);
    }
    if (type == EXIT && length != 4 || type == KEEPALIVE && length != 0) {
      throw new BadFrame("exec stream has a " + (type == EXIT ? "exit" : "keep-alive") + " frame of " + length + " bytes");
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      throw new BadFrame("exec stream ended inside a frame (" + payload.length + " of " + length + " bytes)");
    }
    return Optional.of(new Frame(type, payload));
  }
}
