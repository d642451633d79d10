package gaiola.template;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The compressions a template may have, told by the archive's first bytes (never by its name
 * alone: OpenVZ's caches hold {@code .tar.gz} files that are plain tar, and the reverse).
 */
public enum Compression {
  NONE("none", ".tar"),
  GZIP("gz", ".tar.gz"),
  BZIP2("bz2", ".tar.bz2"),
  XZ("xz", ".tar.xz"),
  ZSTD("zst", ".tar.zst");

  /** File names a template may have, longest first so that {@code .tar.gz} wins over {@code .tar}. */
  static final String[] EXTENSIONS = {
    ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tgz", ".tbz2", ".tbz", ".txz", ".tzst", ".tar"
  };

  private final String option;
  private final String extension;

  Compression(String option, String extension) {
    this.option = option;
    this.extension = extension;
  }

  /** The value of {@code --compression}. */
  public String option() {
    return option;
  }

  /** The extension a template file gets when Gaiola writes it. */
  public String extension() {
    return extension;
  }

  /** {@code --compression zst|gz|xz|bz2|none}. */
  public static Optional<Compression> fromOption(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    for (Compression c : values()) {
      if (c.option.equals(t)) {
        return Optional.of(c);
      }
    }
    return switch (t) {
      case "zstd" -> Optional.of(ZSTD);
      case "gzip" -> Optional.of(GZIP);
      case "bzip2" -> Optional.of(BZIP2);
      default -> Optional.empty();
    };
  }

  /** The compression of an archive whose first bytes are {@code head}; empty when unknown. */
  public static Optional<Compression> detect(byte[] head, int length) {
    if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Optional.of(GZIP);
    }
    if (length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return Optional.of(BZIP2);
    }
    if (length >= 6 && Arrays.equals(Arrays.copyOf(head, 6), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0})) {
      return Optional.of(XZ);
    }
    if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return Optional.of(ZSTD);
    }
    if (length >= 263 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r') {
      return Optional.of(NONE);
    }
    return Optional.empty();
  }

  /** What a file's first bytes look like when it is no known archive, for the error message. */
  static String describe(byte[] head, int length) {
    if (length >= 4 && (head[0] & 0xff) == 0x04 && (head[1] & 0xff) == 0x22 && (head[2] & 0xff) == 0x4d) {
      return "lz4-compressed, which is not supported";
    }
    if (length >= 3 && (head[0] & 0xff) == 0x5d && head[1] == 0 && head[2] == 0) {
      return "lzma-compressed, which is not supported";
    }
    if (length == 0) {
      return "empty";
    }
    return "neither a tar archive nor compressed with gzip, bzip2, xz or zstd";
  }

  /** Decompresses {@code in}; every format reads concatenated streams as one, as their tools do. */
  public InputStream input(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP -> new GZIPInputStream(in, 1 << 16);
      case BZIP2 -> new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(in, true);
      case XZ -> new org.tukaani.xz.XZInputStream(in);
      case ZSTD -> new com.github.luben.zstd.ZstdInputStreamNoFinalizer(in);
    };
  }

  /** Compresses into {@code out} at each tool's default level (gzip 6, bzip2 9, xz 6, zstd 3). */
  public OutputStream output(OutputStream out) throws IOException {
    return switch (this) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out, 1 << 16);
      case BZIP2 -> new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(out);
      case XZ -> new org.tukaani.xz.XZOutputStream(out, new org.tukaani.xz.LZMA2Options(6));
      case ZSTD -> {
        var z = new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(out, 3);
        // One worker compresses while this thread reads files, as tar piping into zstd does.
        z.setWorkers(1);
        yield z;
      }
    };
  }

  /** Reads the head of a stream for {@link #detect}; the stream must support mark. */
  static byte[] head(BufferedInputStream in, int[] length) throws IOException {
    byte[] head = new byte[512];
    in.mark(512);
    length[0] = in.readNBytes(head, 0, 512);
    in.reset();
    return head;
  }
}
