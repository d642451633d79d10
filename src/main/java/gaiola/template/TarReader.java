package gaiola.template;

import gaiola.storage.TreeEntry;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads tar archives as GNU tar, bsdtar and OpenVZ's templates write them: ustar, GNU (long names
 * and links) and pax (extended headers, with SCHILY and LIBARCHIVE extended attributes kept as
 * bytes, binary values such as {@code security.capability} included). Every header's checksum is
 * verified and every number checked; sparse and multi-volume entries are refused; an archive that
 * ends without its end-of-archive block is truncated, and said so.
 */
public final class TarReader {
  private static final int BLOCK = 512;
  private static final int MAX_META = 1 << 20;

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private final Map<String, byte[]> global = new LinkedHashMap<>();
  private long contentLeft;
  private long padding;

  public TarReader(InputStream in) {
    this.in = in;
  }

  private void readBlock(byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, BLOCK);
    if (n < BLOCK) {
      throw new EOFException("the archive is truncated");
    }
  }

  /** The next entry, or null at the end of the archive; the previous entry's content is skipped. */
  public TreeEntry next() throws IOException {
    skipContent();
    Map<String, byte[]> pax = new LinkedHashMap<>(global);
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      readBlock(header);
      if (isZero(header)) {
        return null;
      }
      verifyChecksum();
      char type = (char) (header[156] & 0xff);
      long size = number(124, 12, "size");
      switch (type) {
        case 'x' -> {
          parsePax(readMeta(size, "pax header"), pax);
          continue;
        }
        case 'g' -> {
          parsePax(readMeta(size, "pax global header"), global);
          pax.putAll(global);
          continue;
        }
        case 'L' -> {
          longName = cString(readMeta(size, "long name"), 0, (int) size);
          continue;
        }
        case 'K' -> {
          longLink = cString(readMeta(size, "long link name"), 0, (int) size);
          continue;
        }
        case 'V' -> {
          // A volume label names the archive, not a file.
          contentLeft = size;
          padding = pad(size);
          skipContent();
          continue;
        }
        default -> {
          return entry(type, size, pax, longName, longLink);
        }
      }
    }
  }

  private TreeEntry entry(char type, long size, Map<String, byte[]> pax, byte[] longName, byte[] longLink)
      throws IOException {
    byte[] path = longName != null ? longName : headerName();
    byte[] link = longLink != null ? longLink : cString(header, 157, 100);
    if (pax.containsKey("path")) {
      path = pax.get("path");
    }
    if (pax.containsKey("linkpath")) {
      link = pax.get("linkpath");
    }
    for (String key : pax.keySet()) {
      if (key.startsWith("GNU.sparse.")) {
        throw new IOException("'" + show(path) + "' is a sparse file entry, which is not supported");
      }
    }
    if (pax.containsKey("size")) {
      size = decimal(pax.get("size"), "size");
    }
    int mode = (int) (number(100, 8, "mode") & 07777);
    int uid = (int) (pax.containsKey("uid") ? decimal(pax.get("uid"), "uid") : number(108, 8, "uid"));
    int gid = (int) (pax.containsKey("gid") ? decimal(pax.get("gid"), "gid") : number(116, 8, "gid"));
    long mtime = pax.containsKey("mtime") ? paxTime(pax.get("mtime")) : number(136, 12, "mtime") * 1_000_000_000L;
    long major = pax.containsKey("SCHILY.devmajor") ? decimal(pax.get("SCHILY.devmajor"), "devmajor") : number(329, 8, "devmajor");
    long minor = pax.containsKey("SCHILY.devminor") ? decimal(pax.get("SCHILY.devminor"), "devminor") : number(337, 8, "devminor");
    TreeEntry.Kind kind =
        switch (type) {
          case '0', '\0', '7' -> path.length > 0 && path[path.length - 1] == '/' ? TreeEntry.Kind.DIRECTORY : TreeEntry.Kind.FILE;
          case '1' -> TreeEntry.Kind.HARDLINK;
          case '2' -> TreeEntry.Kind.SYMLINK;
          case '3' -> TreeEntry.Kind.CHAR_DEVICE;
          case '4' -> TreeEntry.Kind.BLOCK_DEVICE;
          case '5', 'D' -> TreeEntry.Kind.DIRECTORY;
          case '6' -> TreeEntry.Kind.FIFO;
          case 'S' -> throw new IOException("'" + show(path) + "' is a sparse file entry, which is not supported");
          case 'M' -> throw new IOException("'" + show(path) + "' continues from another volume; multi-volume archives are not supported");
          default -> throw new IOException("'" + show(path) + "' has the unknown entry type '" + printable(type) + "'");
        };
    if ((kind == TreeEntry.Kind.SYMLINK || kind == TreeEntry.Kind.HARDLINK) && link.length == 0) {
      throw new IOException("'" + show(path) + "' is a link without a target");
    }
    contentLeft = size;
    padding = pad(size);
    if (kind != TreeEntry.Kind.FILE) {
      skipContent();
    }
    List<TreeEntry.Xattr> xattrs = new ArrayList<>();
    for (Map.Entry<String, byte[]> p : pax.entrySet()) {
      String key = p.getKey();
      if (key.startsWith("SCHILY.xattr.")) {
        xattrs.add(new TreeEntry.Xattr(key.substring(13).getBytes(StandardCharsets.ISO_8859_1), p.getValue()));
      } else if (key.startsWith("LIBARCHIVE.xattr.")) {
        byte[] name = java.net.URLDecoder.decode(key.substring(17), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
        try {
          xattrs.add(new TreeEntry.Xattr(name, Base64.getDecoder().decode(trimBase64(p.getValue()))));
        } catch (IllegalArgumentException e) {
          throw new IOException("'" + show(path) + "': extended attribute " + show(name) + " is not valid base64");
        }
      }
    }
    return new TreeEntry(
        path, kind, mode, uid, gid, mtime, kind == TreeEntry.Kind.FILE ? size : 0,
        kind == TreeEntry.Kind.SYMLINK || kind == TreeEntry.Kind.HARDLINK ? link : null,
        gaiola.host.FileCalls.makedev(major, minor), xattrs);
  }

  private static byte[] trimBase64(byte[] v) {
    int n = v.length;
    while (n > 0 && v[n - 1] == '=') {
      n--;
    }
    return Arrays.copyOf(v, n);
  }

  /** Reads up to {@code len} bytes of the current file's content; -1 at its end. */
  public int read(byte[] b, int off, int len) throws IOException {
    if (contentLeft == 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, contentLeft));
    if (n < 0) {
      throw new EOFException("the archive is truncated");
    }
    contentLeft -= n;
    return n;
  }

  /** Reads the whole of the current file's content (callers keep this for small files). */
  public byte[] readAll() throws IOException {
    byte[] data = new byte[(int) contentLeft];
    int n = in.readNBytes(data, 0, data.length);
    if (n < data.length) {
      throw new EOFException("the archive is truncated");
    }
    contentLeft = 0;
    return data;
  }

  private void skipContent() throws IOException {
    long left = contentLeft + padding;
    contentLeft = 0;
    padding = 0;
    if (left > 0 && skip(left) < left) {
      throw new EOFException("the archive is truncated");
    }
  }

  private static long pad(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private byte[] readMeta(long size, String what) throws IOException {
    if (size < 0 || size > MAX_META) {
      throw new IOException("a " + what + " of " + size + " bytes is too large");
    }
    byte[] data = new byte[(int) size];
    if (in.readNBytes(data, 0, data.length) < data.length) {
      throw new EOFException("the archive is truncated");
    }
    long p = pad(size);
    if (skip(p) < p) {
      throw new EOFException("the archive is truncated");
    }
    return data;
  }

  private long skip(long n) throws IOException {
    long done = 0;
    byte[] scratch = new byte[(int) Math.min(n, 65536)];
    while (done < n) {
      int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  private void verifyChecksum() throws IOException {
    long stored = number(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : header[i];
    }
    if (stored != unsigned && stored != signed) {
      throw new IOException("a header's checksum is wrong: the archive is corrupt (or not a tar archive)");
    }
  }

  private byte[] headerName() {
    byte[] name = cString(header, 0, 100);
    boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
        && header[261] == 'r' && header[262] == 0;
    if (ustar && header[345] != 0) {
      byte[] prefix = cString(header, 345, 155);
      byte[] full = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
      full[prefix.length] = '/';
      System.arraycopy(name, 0, full, prefix.length + 1, name.length);
      return full;
    }
    return name;
  }

  private static byte[] cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(b, off, end);
  }

  private static final byte[] ZERO = new byte[BLOCK];

  private static boolean isZero(byte[] b) {
    return Arrays.equals(b, ZERO);
  }

  /** An octal field (or GNU's base-256 for large values). */
  private long number(int off, int len, String field) throws IOException {
    if ((header[off] & 0x80) != 0) {
      if ((header[off] & 0x40) != 0 || len > 12) {
        throw new IOException("the " + field + " field of a header is negative or too large");
      }
      long v = 0;
      for (int i = 0; i < len; i++) {
        int b = header[off + i] & 0xff;
        if (i == 0) {
          b &= 0x7f;
        }
        if (v >>> 55 != 0) {
          throw new IOException("the " + field + " field of a header is too large");
        }
        v = (v << 8) | b;
      }
      return v;
    }
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    long v = 0;
    int digits = 0;
    while (i < end && header[i] >= '0' && header[i] <= '7') {
      v = v * 8 + (header[i] - '0');
      i++;
      digits++;
    }
    if (i < end && header[i] != ' ' && header[i] != 0) {
      throw new IOException("the " + field + " field of a header is not a number: the archive is corrupt (or not a tar archive)");
    }
    if (digits > 21) {
      throw new IOException("the " + field + " field of a header is too large");
    }
    return v;
  }

  private static long decimal(byte[] v, String field) throws IOException {
    String s = new String(v, StandardCharsets.ISO_8859_1);
    try {
      long n = Long.parseLong(s);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("the pax " + field + " '" + s + "' is not a number");
    }
  }

  /** A pax time, {@code [-]SECONDS[.FRACTION]}, in nanoseconds. */
  static long paxTime(byte[] v) throws IOException {
    String s = new String(v, StandardCharsets.ISO_8859_1);
    if (!s.matches("-?\\d{1,18}(\\.\\d*)?")) {
      throw new IOException("the pax time '" + s + "' is not a number");
    }
    boolean negative = s.startsWith("-");
    String abs = negative ? s.substring(1) : s;
    int dot = abs.indexOf('.');
    long sec = Long.parseLong(dot < 0 ? abs : abs.substring(0, dot));
    String frac = dot < 0 ? "" : abs.substring(dot + 1);
    frac = (frac + "000000000").substring(0, 9);
    long nanos = sec * 1_000_000_000L + Long.parseLong(frac);
    return negative ? -nanos : nanos;
  }

  /** Records {@code LENGTH KEY=VALUE\n}; values are bytes, kept as they are. */
  static void parsePax(byte[] data, Map<String, byte[]> into) throws IOException {
    int pos = 0;
    while (pos < data.length) {
      int sp = pos;
      long len = 0;
      while (sp < data.length && data[sp] >= '0' && data[sp] <= '9' && sp - pos < 8) {
        len = len * 10 + (data[sp] - '0');
        sp++;
      }
      if (sp == pos || sp >= data.length || data[sp] != ' ' || len <= sp - pos + 1 || pos + len > data.length
          || data[(int) (pos + len - 1)] != '\n') {
        throw new IOException("a pax header is corrupt");
      }
      int end = (int) (pos + len - 1);
      int eq = sp + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq == end || eq == sp + 1) {
        throw new IOException("a pax header record has no key");
      }
      String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.ISO_8859_1);
      byte[] value = Arrays.copyOfRange(data, eq + 1, end);
      if (value.length == 0) {
        into.remove(key);
      } else {
        into.put(key, value);
      }
      pos += (int) len;
    }
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
  }

  private static String show(byte[] path) {
    return gaiola.host.FileCalls.show(path);
  }
}
