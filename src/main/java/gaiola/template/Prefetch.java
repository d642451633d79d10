package gaiola.template;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream ahead in a thread of its own (the decompressor, here), handing chunks to the
 * reader through a short queue: decompression and the reading of entries then run at once, as a
 * decompressor and tar do in a pipe. A failure of the source is rethrown to the reader.
 */
final class Prefetch extends InputStream {
  private static final int CHUNK = 1 << 18;
  private static final byte[] END = new byte[0];

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16);
  private final Thread thread;
  private final InputStream source;
  private byte[] current = new byte[0];
  private int currentLength;
  private int pos;
  private boolean ended;
  private volatile boolean closed;

  Prefetch(InputStream source) {
    this.source = source;
    this.thread = new Thread(this::pump, "gaiola-decompress");
    thread.setDaemon(true);
    thread.start();
  }

  private record Chunk(byte[] data, int length) {}

  private void pump() {
    try {
      while (!closed) {
        byte[] b = new byte[CHUNK];
        int n = source.readNBytes(b, 0, CHUNK);
        if (n > 0) {
          queue.put(new Chunk(b, n));
        }
        if (n < CHUNK) {
          queue.put(END);
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the reader
    } catch (IOException | RuntimeException e) {
      try {
        queue.put(e);
      } catch (InterruptedException x) {
        // closed by the reader
      }
    }
  }

  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    Object o;
    try {
      o = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (o == END) {
      ended = true;
      return false;
    }
    if (o instanceof IOException e) {
      ended = true;
      throw new IOException(message(e), e);
    }
    if (o instanceof RuntimeException e) {
      ended = true;
      throw new IOException("the archive is corrupt: " + e.getMessage(), e);
    }
    Chunk c = (Chunk) o;
    current = c.data;
    currentLength = c.length;
    pos = 0;
    return true;
  }

  /** The decompressors' own words, turned into what they mean for the user. */
  private static String message(IOException e) {
    String m = String.valueOf(e.getMessage());
    if (e instanceof java.io.EOFException || m.contains("Unexpected end") || m.contains("truncated")
        || m.contains("Premature end") || m.contains("Truncated")) {
      return "the archive is truncated";
    }
    return "the archive is corrupt: " + m;
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
    while (pos >= currentLength) {
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, currentLength - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    source.close();
  }
}
