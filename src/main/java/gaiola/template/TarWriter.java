package gaiola.template;

import gaiola.storage.TreeEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a pax tar archive (POSIX.1-2001, which GNU tar and bsdtar read): a ustar header per entry,
 * preceded by an extended header when ustar cannot hold a value exactly (long names, large ids or
 * sizes, sub-second times, extended attributes as {@code SCHILY.xattr.NAME} with their raw bytes).
 * Owners are numeric only, as OpenVZ's {@code --numeric-owner} reads them.
 */
public final class TarWriter implements AutoCloseable {
  private static final int BLOCK = 512;
  private static final int RECORD = 20 * BLOCK;

  private final OutputStream out;
  private final byte[] header = new byte[BLOCK];
  private long written;
  private long contentLeft;

  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Starts an entry; a file's {@code size} bytes of content must follow through {@link #write}. */
  public void entry(TreeEntry e) throws IOException {
    if (contentLeft != 0) {
      throw new IllegalStateException("content of the previous entry is incomplete");
    }
    byte[] name = archiveName(e.path(), e.kind() == TreeEntry.Kind.DIRECTORY);
    byte[] link = e.link() == null ? new byte[0]
        : e.kind() == TreeEntry.Kind.HARDLINK ? archiveName(e.link(), false) : e.link();
    long seconds = Math.floorDiv(e.mtimeNanos(), 1_000_000_000L);
    long nanos = Math.floorMod(e.mtimeNanos(), 1_000_000_000L);
    long size = e.kind() == TreeEntry.Kind.FILE ? e.size() : 0;
    PaxRecords pax = new PaxRecords();
    if (name.length > 100) {
      pax.record("path", name);
    }
    if (link.length > 100) {
      pax.record("linkpath", link);
    }
    if (e.uid() < 0 || e.uid() > 07777777) {
      pax.record("uid", ascii(Integer.toUnsignedString(e.uid())));
    }
    if (e.gid() < 0 || e.gid() > 07777777) {
      pax.record("gid", ascii(Integer.toUnsignedString(e.gid())));
    }
    if (size > 077777777777L) {
      pax.record("size", ascii(Long.toString(size)));
    }
    if (nanos != 0 || seconds < 0 || seconds > 077777777777L) {
      pax.record("mtime", ascii(paxTime(e.mtimeNanos())));
    }
    for (TreeEntry.Xattr x : e.xattrs()) {
      pax.record("SCHILY.xattr." + new String(x.name(), StandardCharsets.ISO_8859_1), x.value());
    }
    if (pax.length() > 0) {
      byte[] records = pax.toBytes();
      byte[] paxName = ascii("PaxHeaders/" + (e.path().length == 0 ? "root" : "entry"));
      fillHeader(paxName, new byte[0], 0644, 0, 0, records.length, Math.max(0, Math.min(seconds, 077777777777L)), 'x', 0, 0);
      out.write(header);
      out.write(records);
      written += BLOCK + records.length;
      padTo(written);
    }
    char type = switch (e.kind()) {
      case FILE -> '0';
      case HARDLINK -> '1';
      case SYMLINK -> '2';
      case CHAR_DEVICE -> '3';
      case BLOCK_DEVICE -> '4';
      case DIRECTORY -> '5';
      case FIFO -> '6';
    };
    long major = gaiola.host.FileCalls.major(e.rdev());
    long minor = gaiola.host.FileCalls.minor(e.rdev());
    boolean device = e.kind() == TreeEntry.Kind.CHAR_DEVICE || e.kind() == TreeEntry.Kind.BLOCK_DEVICE;
    fillHeader(
        Arrays.copyOf(name, Math.min(100, name.length)), Arrays.copyOf(link, Math.min(100, link.length)),
        e.mode() & 07777, clampId(e.uid()), clampId(e.gid()), size > 077777777777L ? 0 : size,
        Math.max(0, Math.min(seconds, 077777777777L)), type, device ? major : 0, device ? minor : 0);
    out.write(header);
    written += BLOCK;
    contentLeft = size;
  }

  /** Content of the current file. */
  public void write(byte[] b, int off, int len) throws IOException {
    if (len > contentLeft) {
      throw new IllegalStateException("more content than the entry's size");
    }
    out.write(b, off, len);
    contentLeft -= len;
    written += len;
    if (contentLeft == 0) {
      padTo(written);
    }
  }

  /** Whether the current file still expects content. */
  public long contentLeft() {
    return contentLeft;
  }

  private void padTo(long length) throws IOException {
    int pad = (int) ((BLOCK - length % BLOCK) % BLOCK);
    if (pad > 0) {
      out.write(new byte[pad]);
      written += pad;
    }
  }

  /** The end-of-archive blocks, padded to a whole record as tar does; closes the stream. */
  @Override
  public void close() throws IOException {
    if (contentLeft != 0) {
      throw new IOException("the archive was closed in the middle of a file");
    }
    out.write(new byte[2 * BLOCK]);
    written += 2 * BLOCK;
    int pad = (int) ((RECORD - written % RECORD) % RECORD);
    out.write(new byte[pad]);
    out.close();
  }

  private static int clampId(int id) {
    return id < 0 || id > 07777777 ? 0 : id;
  }

  /** {@code ./PATH}, with a trailing slash for directories (the root is {@code ./}). */
  private static byte[] archiveName(byte[] path, boolean directory) {
    byte[] n = new byte[2 + path.length + (directory && path.length > 0 ? 1 : 0)];
    n[0] = '.';
    n[1] = '/';
    System.arraycopy(path, 0, n, 2, path.length);
    if (directory && path.length > 0) {
      n[n.length - 1] = '/';
    }
    return n;
  }

  static String paxTime(long nanos) {
    boolean negative = nanos < 0;
    long abs = Math.abs(nanos);
    String s = (abs / 1_000_000_000L) + "." + String.format("%09d", abs % 1_000_000_000L);
    return negative ? "-" + s : s;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private void fillHeader(
      byte[] name, byte[] link, int mode, int uid, int gid, long size, long mtime, char type, long major, long minor) {
    Arrays.fill(header, (byte) 0);
    System.arraycopy(name, 0, header, 0, name.length);
    octal(100, 8, mode);
    octal(108, 8, uid);
    octal(116, 8, gid);
    octal(124, 12, size);
    octal(136, 12, mtime);
    header[156] = (byte) type;
    System.arraycopy(link, 0, header, 157, link.length);
    System.arraycopy(ascii("ustar\0" + "00"), 0, header, 257, 8);
    octal(329, 8, major);
    octal(337, 8, minor);
    Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    String cks = String.format("%06o", sum);
    System.arraycopy(ascii(cks), 0, header, 148, 6);
    header[154] = 0;
    header[155] = ' ';
  }

  private void octal(int off, int len, long value) {
    String s = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
    System.arraycopy(ascii(padded), 0, header, off, len - 1);
    header[off + len - 1] = 0;
  }

  /** Pax records, {@code LENGTH KEY=VALUE\n}, where LENGTH counts its own digits. */
  private static final class PaxRecords {
    private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

    void record(String key, byte[] value) {
      byte[] k = key.getBytes(StandardCharsets.ISO_8859_1);
      int base = k.length + value.length + 3;
      int len = base + Integer.toString(base).length();
      if (Integer.toString(len).length() != Integer.toString(base).length()) {
        len = base + Integer.toString(len).length();
      }
      buf.writeBytes(ascii(len + " "));
      buf.writeBytes(k);
      buf.write('=');
      buf.writeBytes(value);
      buf.write('\n');
    }

    int length() {
      return buf.size();
    }

    byte[] toBytes() {
      return buf.toByteArray();
    }
  }
}
