package gaiola.template;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Hand-made tar archives, hostile ones included: any name, any type, any link target. */
final class RawTar {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  RawTar entry(String name, char type, String link, byte[] content) {
    byte[] h = new byte[512];
    put(h, 0, name.getBytes(StandardCharsets.UTF_8));
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, uid());
    octal(h, 116, 8, gid());
    octal(h, 124, 12, content.length);
    octal(h, 136, 12, 1_700_000_000L);
    h[156] = (byte) type;
    put(h, 157, link.getBytes(StandardCharsets.UTF_8));
    put(h, 257, "ustar\0".getBytes(StandardCharsets.ISO_8859_1));
    put(h, 263, "00".getBytes(StandardCharsets.ISO_8859_1));
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o\0 ", sum).getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(h);
    out.writeBytes(content);
    out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    return this;
  }

  RawTar file(String name, String content) {
    return entry(name, '0', "", content.getBytes(StandardCharsets.UTF_8));
  }

  RawTar dir(String name) {
    return entry(name, '5', "", new byte[0]);
  }

  RawTar symlink(String name, String target) {
    return entry(name, '2', target, new byte[0]);
  }

  RawTar hardlink(String name, String target) {
    return entry(name, '1', target, new byte[0]);
  }

  /** A pax extended header for the next entry. */
  RawTar pax(String key, String value) {
    String rec = " " + key + "=" + value + "\n";
    int len = rec.length() + 2;
    len = rec.length() + Integer.toString(len).length();
    return entry("PaxHeaders/x", 'x', "", (len + rec).getBytes(StandardCharsets.UTF_8));
  }

  /** A GNU long name for the next entry. */
  RawTar longName(String name) {
    return entry("././@LongLink", 'L', "", (name + "\0").getBytes(StandardCharsets.UTF_8));
  }

  byte[] end() {
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  /** Without the end-of-archive blocks: a cut archive. */
  byte[] cut() {
    return out.toByteArray();
  }

  static int uid() {
    return (int) new com.sun.security.auth.module.UnixSystem().getUid();
  }

  static int gid() {
    return (int) new com.sun.security.auth.module.UnixSystem().getGid();
  }

  private static void put(byte[] h, int off, byte[] v) {
    System.arraycopy(v, 0, h, off, v.length);
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = String.format("%0" + (len - 1) + "o", v);
    put(h, off, s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
