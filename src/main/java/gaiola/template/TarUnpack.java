package gaiola.template;

import gaiola.host.FileCalls;
import gaiola.storage.Progress;
import gaiola.storage.TreeEntry;
import gaiola.storage.TreeWriter;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Unpacks a template archive into a new, empty guest tree. The archive is untrusted: entries go
 * through {@link TreeWriter}, which never lets one reach outside the tree. Decompression runs in a
 * thread of its own, ahead of the reading of entries, and file contents are written by a pool, so
 * the three overlap as tar and its decompressor do in a pipe.
 */
public final class TarUnpack {
  /** Files up to this size are read whole and written by the pool; larger ones are streamed. */
  private static final int SMALL = 8 << 20;

  private TarUnpack() {}

  /** The compression of an archive file, from its first bytes. */
  public static Compression compressionOf(Path archive) throws IOException {
    try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(archive), 1024)) {
      int[] len = new int[1];
      byte[] head = Compression.head(in, len);
      return Compression.detect(head, len[0])
          .orElseThrow(() -> new IOException(archive + " is " + Compression.describe(head, len[0])));
    }
  }

  /** Unpacks {@code archive} into {@code target}; returns the number of entries. */
  public static long unpack(Path archive, Path target, Progress progress) throws IOException {
    Compression compression = compressionOf(archive);
    long size = Files.size(archive);
    progress.total(size);
    long entries = 0;
    try (InputStream raw = new Counting(Files.newInputStream(archive), progress);
        Prefetch data = new Prefetch(compression.input(new BufferedInputStream(raw, 1 << 16)));
        TreeWriter writer = new TreeWriter(target, TreeWriter.defaultThreads(), progress)) {
      TarReader tar = new TarReader(new BufferedInputStream(data, 1 << 16));
      TreeEntry e;
      while ((e = next(tar)) != null) {
        entries++;
        if (e.kind() != TreeEntry.Kind.FILE) {
          writer.other(e);
        } else if (e.size() <= SMALL) {
          byte[] content = readAll(tar, e);
          writer.file(e, (fd, name) -> {
            FileCalls.write(fd, content, 0, content.length, name);
            return List.of();
          }, content.length);
        } else {
          TreeEntry big = e;
          writer.fileNow(e, (fd, name) -> {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = read(tar, big, buf)) > 0) {
              FileCalls.write(fd, buf, 0, n, name);
            }
            return List.of();
          });
        }
      }
      writer.finish();
    }
    return entries;
  }

  /** Reads an archive through without writing anything: checks that it is whole and sound. */
  public static long verify(Path archive) throws IOException {
    Compression compression = compressionOf(archive);
    long entries = 0;
    try (InputStream in = new Prefetch(compression.input(new BufferedInputStream(Files.newInputStream(archive), 1 << 16)))) {
      TarReader tar = new TarReader(new BufferedInputStream(in, 1 << 16));
      TreeEntry e;
      while ((e = next(tar)) != null) {
        gaiola.storage.SafePath.components(e.path());
        entries++;
      }
    }
    return entries;
  }

  private static TreeEntry next(TarReader tar) throws IOException {
    try {
      return tar.next();
    } catch (EOFException e) {
      throw new IOException("the archive is truncated");
    }
  }

  private static byte[] readAll(TarReader tar, TreeEntry e) throws IOException {
    try {
      return tar.readAll();
    } catch (EOFException x) {
      throw new IOException("the archive is truncated in '" + FileCalls.show(e.path()) + "'");
    }
  }

  private static int read(TarReader tar, TreeEntry e, byte[] buf) throws IOException {
    try {
      return tar.read(buf, 0, buf.length);
    } catch (EOFException x) {
      throw new IOException("the archive is truncated in '" + FileCalls.show(e.path()) + "'");
    }
  }

  /** Counts the archive's bytes as they are read, for the progress bar's position. */
  private static final class Counting extends FilterInputStream {
    private final Progress progress;
    private long position;

    Counting(InputStream in, Progress progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        position += n;
        progress.position(position);
      }
      return n;
    }
  }
}
