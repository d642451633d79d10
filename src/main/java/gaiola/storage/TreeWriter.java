package gaiola.storage;

import static gaiola.host.FileCalls.*;

import gaiola.host.FileCalls;
import gaiola.host.FileCalls.CallException;
import gaiola.host.OpenFiles;
import gaiola.host.ProcSelf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes entries into a new tree so that nothing outside it is ever touched, whatever the entries
 * say: every name is resolved one component at a time from a descriptor of the root, each
 * directory opened with O_NOFOLLOW (a link planted by an earlier entry is refused, never followed),
 * and every file created with O_EXCL (an existing node, a device say, is replaced, never opened).
 * File contents and their metadata are written by a pool of threads; directory metadata is set at
 * the end, deepest first, so that their times survive the writes below them.
 */
public final class TreeWriter implements AutoCloseable {
  /**
   * How a file's content gets into the descriptor of the new file; returns extended attributes
   * found on the way (a copy reads its source's) to set besides the entry's own, or an empty list.
   */
  @FunctionalInterface
  public interface Content {
    List<TreeEntry.Xattr> writeTo(int fd, byte[] name) throws IOException;
  }

  private static final long BUDGET = 64L << 20;

  private final int rootFd;
  private final Map<String, Integer> dirs = new HashMap<>();
  /** A directory made, whose metadata waits for the end. */
  private record MadeDirectory(int fd, TreeEntry entry) {}

  private final List<MadeDirectory> dirMeta = new ArrayList<>();
  private final ExecutorService pool;
  private final Semaphore bytesInFlight = new Semaphore((int) (BUDGET >> 10));
  private final Semaphore tasksInFlight = new Semaphore(4096);
  private final Map<String, CountDownLatch> pending = new ConcurrentHashMap<>();
  private final AtomicReference<IOException> failure = new AtomicReference<>();
  private final Progress progress;
  private volatile boolean cancelled;
  /** Ctrl-C or SIGTERM stops the writing at the next entry, so the caller's roll-back runs soon. */
  private final Thread cancel = new Thread(() -> cancelled = true, "gaiola-tree-cancel");
  private boolean closed;

  /** Writes below {@code root}, an existing directory (the new guest's empty tree). */
  public TreeWriter(Path root, int threads, Progress progress) throws IOException {
    OpenFiles.raise();
    this.rootFd = FileCalls.openat(AT_FDCWD, FileCalls.bytes(root.toString()), O_RDONLY | O_DIRECTORY, 0);
    this.dirs.put("", rootFd);
    this.progress = progress;
    try {
      Runtime.getRuntime().addShutdownHook(cancel);
    } catch (IllegalStateException e) {
      cancelled = true;
    }
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "gaiola-tree-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /** The default number of writer threads for this machine. */
  public static int defaultThreads() {
    String forced = System.getenv("GAIOLA_TREE_WRITERS");
    if (forced != null && forced.matches("\\d{1,2}") && Integer.parseInt(forced) > 0) {
      return Integer.parseInt(forced);
    }
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  private void rethrow() throws IOException {
    if (cancelled) {
      throw new IOException("interrupted");
    }
    IOException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  private static IOException named(TreeEntry e, IOException cause) {
    String msg = cause.getMessage();
    IOException x = new IOException("entry '" + FileCalls.show(e.path()) + "': " + msg);
    x.initCause(cause);
    return x;
  }

  /** The descriptor of the directory at the first {@code count} components, made when missing. */
  private int dir(List<byte[]> parts, int count) throws IOException {
    String key = SafePath.key(parts, count);
    Integer fd = dirs.get(key);
    if (fd != null) {
      return fd;
    }
    int parent = dir(parts, count - 1);
    byte[] name = parts.get(count - 1);
    awaitPending(key);
    int f;
    try {
      f = FileCalls.openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
    } catch (CallException e) {
      if (e.errno() != ENOENT) {
        throw new IOException("'" + key + "' is not a directory (" + FileCalls.message(e.errno()) + "); it is never followed");
      }
      // A parent the archive did not list, as tar makes it.
      FileCalls.mkdirat(parent, name, 0755);
      f = FileCalls.openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
    }
    dirs.put(key, f);
    return f;
  }

  private void awaitPending(String key) throws IOException {
    CountDownLatch l = pending.get(key);
    if (l != null) {
      try {
        l.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
  }

  /** A directory; its metadata is applied by {@link #finish()}. */
  public void directory(TreeEntry e) throws IOException {
    rethrow();
    try {
      List<byte[]> parts = SafePath.components(e.path());
      int fd;
      if (parts.isEmpty()) {
        fd = rootFd;
      } else {
        String key = SafePath.key(parts, parts.size());
        fd = dirs.getOrDefault(key, -1);
        if (fd < 0) {
          int parent = dir(parts, parts.size() - 1);
          byte[] name = parts.getLast();
          awaitPending(key);
          try {
            FileCalls.mkdirat(parent, name, 0700);
          } catch (CallException x) {
            if (x.errno() != EEXIST) {
              throw x;
            }
          }
          try {
            fd = FileCalls.openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
          } catch (CallException x) {
            if (x.errno() != ENOTDIR && x.errno() != ELOOP) {
              // Every directory of the tree stays open: a big tree can reach the open-file limit.
              throw new IOException("cannot open directory '" + key + "': " + FileCalls.message(x.errno()));
            }
            throw new IOException("'" + key + "' exists and is not a directory");
          }
          dirs.put(key, fd);
        }
      }
      dirMeta.add(new MadeDirectory(fd, e));
      progress.advance(0, 1);
    } catch (IOException x) {
      throw named(e, x);
    }
  }

  /** A regular file whose content is written by a pool thread. */
  public void file(TreeEntry e, Content content, long memory) throws IOException {
    rethrow();
    Target t = target(e);
    int kb = (int) Math.min(BUDGET >> 10, Math.max(1, memory >> 10));
    acquire(kb);
    CountDownLatch done = new CountDownLatch(1);
    pending.put(t.key, done);
    pool.execute(() -> {
      try {
        if (failure.get() == null && !cancelled) {
          writeFile(e, t, content);
        }
      } catch (IOException x) {
        failure.compareAndSet(null, named(e, x));
      } catch (RuntimeException x) {
        failure.compareAndSet(null, named(e, new IOException(x.toString())));
      } finally {
        pending.remove(t.key, done);
        done.countDown();
        bytesInFlight.release(kb);
        tasksInFlight.release();
      }
    });
  }

  /** A regular file written by the calling thread (content streamed from the caller's source). */
  public void fileNow(TreeEntry e, Content content) throws IOException {
    rethrow();
    try {
      writeFile(e, target(e), content);
    } catch (IOException x) {
      throw named(e, x);
    }
  }

  private void acquire(int kb) throws IOException {
    try {
      tasksInFlight.acquire();
      bytesInFlight.acquire(kb);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private record Target(int parent, byte[] name, String key) {}

  /** Where a non-directory goes; waits for an earlier entry of the same path to be written. */
  private Target target(TreeEntry e) throws IOException {
    try {
      List<byte[]> parts = SafePath.components(e.path());
      if (parts.isEmpty()) {
        throw new IOException("the root of the tree can only be a directory");
      }
      String key = SafePath.key(parts, parts.size());
      if (dirs.containsKey(key)) {
        throw new IOException("'" + key + "' is already a directory");
      }
      awaitPending(key);
      return new Target(dir(parts, parts.size() - 1), parts.getLast(), key);
    } catch (IOException x) {
      throw named(e, x);
    }
  }

  /** Creates a new node with {@code make}; an existing non-directory of that name is replaced. */
  private interface Make {
    int make() throws IOException;
  }

  private static int replacing(Target t, Make make) throws IOException {
    try {
      return make.make();
    } catch (CallException x) {
      if (x.errno() != EEXIST) {
        throw x;
      }
      FileCalls.unlinkat(t.parent, t.name, 0);
      return make.make();
    }
  }

  private void writeFile(TreeEntry e, Target t, Content content) throws IOException {
    int mode = e.mode() & 07777;
    int fd = replacing(t, () -> FileCalls.openat(t.parent, t.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, mode & 0777));
    try {
      List<TreeEntry.Xattr> found = content.writeTo(fd, e.path());
      // chown clears set-id bits and file capabilities: owner first, then mode, then xattrs. A new
      // file is ours (no directory of the new tree is set-group-id while it is written), and has
      // its creation mode less the umask: the calls that would change nothing are left out.
      if (e.uid() != Creator.UID || e.gid() != Creator.GID) {
        FileCalls.fchown(fd, e.uid(), e.gid(), e.path());
      }
      if (mode != (mode & 0777 & ~Creator.UMASK)) {
        FileCalls.fchmod(fd, mode, e.path());
      }
      for (TreeEntry.Xattr x : e.xattrs()) {
        FileCalls.setxattr(fd, x.name(), x.value(), e.path());
      }
      for (TreeEntry.Xattr x : found) {
        FileCalls.setxattr(fd, x.name(), x.value(), e.path());
      }
      FileCalls.utimensat(fd, new byte[0], -1, e.mtimeNanos());
    } finally {
      FileCalls.close(fd);
    }
    progress.advance(e.size(), 1);
  }

  /** Who creates the files, and with which umask, read once from {@code /proc/self/status}. */
  private static final class Creator {
    static final int UID;
    static final int GID;
    static final int UMASK;

    static {
      int uid = -1;
      int gid = -1;
      int umask = 07777;
      try {
        Map<String, String> status = ProcSelf.status();
        // Uid and Gid: real effective saved filesystem
        if (status.containsKey("Uid")) {
          uid = Integer.parseInt(status.get("Uid").split("\\s+")[1]);
        }
        if (status.containsKey("Gid")) {
          gid = Integer.parseInt(status.get("Gid").split("\\s+")[1]);
        }
        if (status.containsKey("Umask")) {
          umask = Integer.parseInt(status.get("Umask"), 8);
        }
      } catch (IOException | RuntimeException e) {
        // unknown: every owner and mode is then set explicitly
      }
      UID = uid;
      GID = gid;
      UMASK = umask;
    }
  }

  /** A symbolic link; its target is stored as given and never followed. */
  public void symlink(TreeEntry e) throws IOException {
    rethrow();
    Target t = target(e);
    try {
      replacing(t, () -> {
        FileCalls.symlinkat(e.link(), t.parent, t.name);
        return 0;
      });
      FileCalls.lchownat(t.parent, t.name, e.uid(), e.gid());
      FileCalls.utimensat(t.parent, t.name, -1, e.mtimeNanos());
      progress.advance(0, 1);
    } catch (IOException x) {
      throw named(e, x);
    }
  }

  /** A hard link to an earlier entry of the tree, named by its tree path in {@code link}. */
  public void hardlink(TreeEntry e) throws IOException {
    rethrow();
    Target to;
    List<byte[]> from;
    try {
      from = SafePath.components(e.link());
      if (from.isEmpty()) {
        throw new IOException("hard link to the root");
      }
    } catch (IOException x) {
      throw named(e, new IOException("link target: " + x.getMessage()));
    }
    to = target(e);
    try {
      String fromKey = SafePath.key(from, from.size());
      if (dirs.containsKey(fromKey)) {
        throw new IOException("hard link to the directory '" + fromKey + "'");
      }
      awaitPending(fromKey);
      int fromDir = dir(from, from.size() - 1);
      replacing(to, () -> {
        FileCalls.linkat(fromDir, from.getLast(), to.parent, to.name);
        return 0;
      });
      progress.advance(0, 1);
    } catch (IOException x) {
      throw named(e, x);
    }
  }

  /**
   * A second name, in this tree, for the inode at {@code fromName} below {@code fromDir}, outside
   * the tree ({@code cp -al}); the entry's metadata is that inode's own, so nothing is set.
   */
  public void linkFrom(TreeEntry e, int fromDir, byte[] fromName) throws IOException {
    rethrow();
    Target to = target(e);
    try {
      replacing(to, () -> {
        FileCalls.linkat(fromDir, fromName, to.parent, to.name);
        return 0;
      });
      progress.advance(e.size(), 1);
    } catch (IOException x) {
      throw named(e, x);
    }
  }

  /** A character or block device, or a fifo. */
  public void node(TreeEntry e) throws IOException {
    rethrow();
    Target t = target(e);
    int type = switch (e.kind()) {
      case CHAR_DEVICE -> S_IFCHR;
      case BLOCK_DEVICE -> S_IFBLK;
      case FIFO -> S_IFIFO;
      default -> throw new IllegalArgumentException(e.kind().toString());
    };
    try {
      replacing(t, () -> {
        FileCalls.mknodat(t.parent, t.name, type | 0600, e.kind() == TreeEntry.Kind.FIFO ? 0 : e.rdev());
        return 0;
      });
      FileCalls.lchownat(t.parent, t.name, e.uid(), e.gid());
      FileCalls.chmodat(t.parent, t.name, e.mode() & 07777);
      if (!e.xattrs().isEmpty()) {
        int fd = FileCalls.openat(t.parent, t.name, O_PATH | O_NOFOLLOW, 0);
        try {
          for (TreeEntry.Xattr x : e.xattrs()) {
            FileCalls.setxattr(fd, x.name(), x.value(), e.path());
          }
        } finally {
          FileCalls.close(fd);
        }
      }
      FileCalls.utimensat(t.parent, t.name, -1, e.mtimeNanos());
      progress.advance(0, 1);
    } catch (IOException x) {
      throw named(e, x);
    }
  }

  /** Any entry, by its kind; files through {@link #file}. */
  public void other(TreeEntry e) throws IOException {
    switch (e.kind()) {
      case DIRECTORY -> directory(e);
      case SYMLINK -> symlink(e);
      case HARDLINK -> hardlink(e);
      case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> node(e);
      case FILE -> throw new IllegalArgumentException("files have content");
    }
  }

  /** Waits for every file, then sets the directories' owners, modes, xattrs and times. */
  public void finish() throws IOException {
    pool.shutdown();
    try {
      while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
        // keep waiting: the writes are bounded by the budget
      }
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    rethrow();
    for (int i = dirMeta.size() - 1; i >= 0; i--) {
      int fd = dirMeta.get(i).fd();
      TreeEntry e = dirMeta.get(i).entry();
      try {
        FileCalls.fchown(fd, e.uid(), e.gid(), e.path());
        FileCalls.fchmod(fd, e.mode() & 07777, e.path());
        for (TreeEntry.Xattr x : e.xattrs()) {
          FileCalls.setxattr(fd, x.name(), x.value(), e.path());
        }
        FileCalls.utimensat(fd, new byte[0], -1, e.mtimeNanos());
      } catch (IOException x) {
        throw named(e, x);
      }
    }
  }

  /** Stops the writers (waiting for those under way) and closes every descriptor. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(cancel);
    } catch (IllegalStateException e) {
      // shutting down: the hook has run
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
    }
    for (int fd : dirs.values()) {
      FileCalls.close(fd);
    }
    dirs.clear();
  }
}
