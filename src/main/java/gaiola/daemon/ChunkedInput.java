package gaiola.daemon;

import java.io.IOException;
import java.io.InputStream;

/** HTTP/1.1's chunked transfer coding, read as the plain stream it carries. */
final class ChunkedInput extends InputStream {
  private final InputStream in;
  private long left;
  private boolean ended;

  ChunkedInput(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (left == 0 && !nextChunk()) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw new IOException("connection closed inside a chunk");
    }
    left -= n;
    if (left == 0) {
      DaemonClient.line(in);
    }
    return n;
  }

  private boolean nextChunk() throws IOException {
    if (ended) {
      return false;
    }
    String size = DaemonClient.line(in);
    int semi = size.indexOf(';');
    try {
      left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
    } catch (NumberFormatException e) {
      throw new IOException("bad chunk size '" + Api.printable(size) + "'");
    }
    if (left < 0) {
      throw new IOException("bad chunk size '" + Api.printable(size) + "'");
    }
    if (left == 0) {
      ended = true;
      while (!DaemonClient.line(in).isEmpty()) {
        // Trailers: none expected.
      }
      return false;
    }
    return true;
  }
}
