package gaiola.storage.unify;

import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.FileCalls;
import gaiola.host.FileDigest;
import gaiola.host.FileStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * util-vserver's vhashify: every candidate file of a tree becomes a hard link to the store's
 * object for its content and metadata. The first file with a new key is linked into the store
 * (link(2) is atomic and fails when another run made the object first); every later one is
 * replaced by a link made under a temporary name and renamed over it, so that at no moment is a
 * file missing or partly written, and a kill at any point leaves each file with its content and
 * metadata. A temporary link that a kill left behind is removed by the next run.
 *
 * <p>Every call names a file relative to an open descriptor of its directory, opened without
 * following links: a guest that swaps a directory for a symbolic link while it runs cannot lead
 * the run out of its tree, and no path is walked again from the root for each call.
 */
public final class Vhashify {
  /** The prefix of the temporary links; a leftover one is removed by the next run. */
  static final String TEMP_PREFIX = ".vhashify~";

  /** What to do and how. */
  public record Options(long minSize, boolean ignoreMtime, boolean dryRun, boolean refresh, Excludes excludes, int threads) {
    public Options {
      if (minSize < 0) {
        throw new IllegalArgumentException("minimum size " + minSize);
      }
      threads = Math.max(1, threads);
    }

    public Options withExcludes(Excludes other) {
      return new Options(minSize, ignoreMtime, dryRun, refresh, other, threads);
    }

    public static Options defaults() {
      return new Options(16, false, false, false, Excludes.defaults(), defaultThreads());
    }

    /**
     * Four workers per core: a worker spends much of its time waiting in rename(2) and link(2)
     * (directory locks, and the discard of freed blocks on filesystems mounted with {@code
     * discard}), so two per core left this 2-core machine a third idle; eight ran 1.4 times faster.
     */
    public static int defaultThreads() {
      return Math.min(64, 4 * Runtime.getRuntime().availableProcessors());
    }
  }

  /** What a run did (or, with --dry-run, would do). */
  public record Result(
      long files, long candidates, long alreadyShared, long linked, long newObjects, long bytesSaved,
      long bytesHashed, long skipped) {}

  /**
   * A directory of a tree, open while the walk is in it or a file of it waits for a worker (so that
   * the number of open descriptors follows the work in hand, not the size of the trees).
   */
  private static final class Dir {
    private final int fd;
    private final Path path;
    private final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger(1);

    Dir(int fd, Path path) {
      this.fd = fd;
      this.path = path;
    }

    int fd() {
      return fd;
    }

    Path path() {
      return path;
    }

    void hold() {
      users.incrementAndGet();
    }

    void release() {
      if (users.decrementAndGet() == 0) {
        FileCalls.close(fd);
      }
    }
  }

  /** One name of a file: its directory and its name there. */
  private record Name(Dir dir, byte[] name) {
    Path path() {
      return dir.path().resolve(new String(name, StandardCharsets.UTF_8));
    }
  }

  private record Inode(FileStat stat, List<Name> names) {}

  private final HashStore store;
  private final Options options;
  private final Consumer<String> note;
  private final AtomicLong linked = new AtomicLong();
  private final AtomicLong newObjects = new AtomicLong();
  private final AtomicLong saved = new AtomicLong();
  private final AtomicLong hashed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong tempCounter = new AtomicLong();
  private final Map<ObjectKey, Boolean> plannedKeys = new java.util.concurrent.ConcurrentHashMap<>();

  public Vhashify(HashStore store, Options options, Consumer<String> note) {
    this.store = store;
    this.options = options;
    this.note = note;
  }

  /** Unifies the tree whose root is {@code tree} (paths in the exclude list are relative to it). */
  public Result run(Path tree) throws GaiolaException {
    return run(List.of(tree));
  }

  /** Unifies several trees in one run: identical files across them share one object. */
  public Result run(List<Path> trees) throws GaiolaException {
    long started = System.nanoTime();
    Set<FileStat.FileId> inStore;
    try {
      inStore = store.inodes();
    } catch (IOException e) {
      throw new HostException("cannot read the store " + store.root() + ": " + e.getMessage(), e);
    }
    // Files with one link are hashed and linked while the walk goes on; files with several links
    // wait for its end, when all their paths are known.
    Map<FileStat.FileId, Inode> linkedInodes = new LinkedHashMap<>();
    long[] counts = new long[4]; // files, candidates, already shared, inodes
    long walked;
    try (ExecutorService pool = Executors.newFixedThreadPool(options.threads())) {
      for (Path tree : trees) {
        try {
          FileStat top = FileStat.lstat(tree);
          if (!top.isDirectory()) {
            throw new gaiola.error.InvalidInputException(tree + " is not a directory", "give a guest's root tree");
          }
          if (top.dev() != store.dev()) {
            throw new gaiola.error.InvalidInputException(
                "the store " + store.root() + " is on another filesystem than " + tree
                    + "; hard links cannot cross filesystems",
                "put the store on the guests' filesystem");
          }
          Dir root = new Dir(
              FileCalls.openat(FileCalls.AT_FDCWD, FileCalls.bytes(tree.toString()),
                  FileCalls.O_RDONLY | FileCalls.O_DIRECTORY, 0),
              tree);
          walk(root, "", top.dev(), inStore, linkedInodes, counts, pool);
        } catch (IOException e) {
          failure.compareAndSet(null, e);
        } catch (gaiola.error.InvalidInputException e) {
          failure.compareAndSet(null, e);
        }
        if (failure.get() != null) {
          break;
        }
      }
      walked = System.nanoTime();
      for (Inode inode : linkedInodes.values()) {
        submit(pool, List.of(inode));
      }
    }
    Exception e = failure.get();
    if (e instanceof gaiola.error.InvalidInputException bad) {
      throw bad;
    }
    if (e != null) {
      String why = e.getMessage();
      if (why != null && why.contains("No space left")) {
        why = "no space left on the device";
      }
      throw new HostException(
          "vhashify stopped: " + why + "; every file replaced so far is complete, the others are untouched",
          e);
    }
    note.accept(String.format(
        "walked %d files in %d ms, hashed (%s) and linked %d inodes in %d ms in all", counts[0],
        (walked - started) / 1_000_000, FileDigest.usesLibcrypto() ? "libcrypto" : "JDK", counts[3],
        (System.nanoTime() - started) / 1_000_000));
    return new Result(
        counts[0], counts[1], counts[2], linked.get(), newObjects.get(), saved.get(), hashed.get(), skipped.get());
  }

  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final ThreadLocal<FileDigest> digests = ThreadLocal.withInitial(FileDigest::new);

  /**
   * Hands the inodes to a worker, which takes them one after the other. A batch is the files of
   * one directory: two workers replacing names in one directory at once would queue on its lock.
   */
  private void submit(ExecutorService pool, List<Inode> batch) {
    pool.execute(
        () -> {
          for (Inode inode : batch) {
            try {
              if (failure.get() == null) {
                unify(inode, digests.get());
              }
            } catch (NoSuchFileException e) {
              skipped.incrementAndGet();
            } catch (FileCalls.CallException e) {
              if (e.errno() == FileCalls.ENOENT) {
                skipped.incrementAndGet(); // removed meanwhile
              } else {
                failure.compareAndSet(null, e);
              }
            } catch (Exception e) {
              failure.compareAndSet(null, e);
            } finally {
              inode.names().forEach(n -> n.dir().release());
            }
          }
        });
  }


  private void walk(
      Dir dir, String rel, long dev, Set<FileStat.FileId> inStore, Map<FileStat.FileId, Inode> linkedInodes,
      long[] counts, ExecutorService pool)
      throws IOException {
    try {
      walkIn(dir, rel, dev, inStore, linkedInodes, counts, pool);
    } finally {
      dir.release();
    }
  }

  private void walkIn(
      Dir dir, String rel, long dev, Set<FileStat.FileId> inStore, Map<FileStat.FileId, Inode> linkedInodes,
      long[] counts, ExecutorService pool)
      throws IOException {
    // The whole listing first: workers change a directory only once it has been read.
    List<byte[]> listing = FileCalls.list(dir.fd(), FileCalls.bytes(dir.path().toString()));
    List<byte[]> subdirs = new ArrayList<>();
    List<Inode> batch = new ArrayList<>();
    try {
      for (byte[] name : listing) {
        if (failure.get() != null) {
          break;
        }
        FileStat st = FileStat.lstatAtIfExists(dir.fd(), name);
        if (st == null) {
          continue;
        }
        boolean isDir = st.isDirectory();
        if (!isDir && !st.isRegular()) {
          continue;
        }
        String relPath = rel + "/" + new String(name, StandardCharsets.UTF_8);
        if (isDir) {
          // Another filesystem mounted below is not ours to change; excluded directories are not entered.
          if (st.dev() == dev && !options.excludes().excludes(relPath)) {
            subdirs.add(name);
          }
          continue;
        }
        counts[0]++;
        if (startsWith(name, TEMP_NAME)) {
          removeLeftover(new Name(dir, name), st, inStore);
          continue;
        }
        if (st.size() < options.minSize() || options.excludes().excludes(relPath)) {
          continue;
        }
        counts[1]++;
        if (!options.refresh() && inStore.contains(st.id())) {
          counts[2]++;
          continue;
        }
        dir.hold();
        if (st.nlink() == 1) {
          counts[3]++;
          batch.add(new Inode(st, List.of(new Name(dir, name))));
        } else {
          linkedInodes.computeIfAbsent(st.id(), id -> {
            counts[3]++;
            return new Inode(st, new ArrayList<>());
          }).names().add(new Name(dir, name));
        }
      }
    } finally {
      // Submitted even after a failure: the worker then only releases the directory.
      if (!batch.isEmpty()) {
        submit(pool, batch);
      }
    }
    if (failure.get() != null) {
      return;
    }
    for (byte[] d : subdirs) {
      String name = new String(d, StandardCharsets.UTF_8);
      int fd;
      try {
        fd = FileCalls.openat(dir.fd(), d, FileCalls.O_RDONLY | FileCalls.O_DIRECTORY | FileCalls.O_NOFOLLOW, 0);
      } catch (FileCalls.CallException e) {
        if (e.errno() == FileCalls.ENOENT) {
          continue; // removed meanwhile
        }
        throw e;
      }
      walk(new Dir(fd, dir.path().resolve(name)), rel + "/" + name, dev, inStore, linkedInodes, counts, pool);
    }
  }

  private static final byte[] TEMP_NAME = FileCalls.bytes(TEMP_PREFIX);

  private static boolean startsWith(byte[] name, byte[] prefix) {
    return name.length >= prefix.length && java.util.Arrays.equals(name, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** A temporary link left by a killed run is a second name of a store object: safe to drop. */
  private void removeLeftover(Name n, FileStat st, Set<FileStat.FileId> inStore) throws IOException {
    if (inStore.contains(st.id()) && st.nlink() >= 2 && !options.dryRun()) {
      FileCalls.unlinkat(n.dir().fd(), n.name(), 0);
      note.accept("removed " + n.path() + ", left by an interrupted run");
    }
  }

  private void unify(Inode inode, FileDigest digest) throws IOException {
    FileStat st = inode.stat();
    Name first = inode.names().getFirst();
    long[] read = new long[1];
    byte[] sha;
    int fd;
    try {
      // O_NONBLOCK: a file swapped for a FIFO meanwhile must not hang the run.
      fd = FileCalls.openat(first.dir().fd(), first.name(), FileCalls.O_RDONLY | FileCalls.O_NOFOLLOW | FileCalls.O_NONBLOCK, 0);
    } catch (FileCalls.CallException e) {
      if (e.errno() == FileCalls.ENOENT || e.errno() == FileCalls.ELOOP) {
        skipped.incrementAndGet(); // removed or replaced by a link meanwhile
        return;
      }
      throw e;
    }
    try {
      sha = digest.of(fd, st.size(), read, first.name());
    } finally {
      FileCalls.close(fd);
    }
    hashed.addAndGet(read[0]);
    if (read[0] != st.size()) {
      // Changed while we read it: leave it for the next run.
      skipped.incrementAndGet();
      return;
    }
    ObjectKey key =
        new ObjectKey(sha, st.permissions(), st.uid(), st.gid(), !options.ignoreMtime(), st.mtimeSec(), st.mtimeNsec());
    if (options.dryRun()) {
      // The first file with a new key would become the object; every other would be shared.
      if (store.lookUp(key) != null || plannedKeys.putIfAbsent(key, Boolean.TRUE) != null) {
        linked.addAndGet(inode.names().size());
        saved.addAndGet(st.size());
      } else {
        newObjects.incrementAndGet();
      }
      return;
    }
    HashStore.Slot object = store.slot(key);
    // Most keys were met before (in this run or an earlier one): look before trying to link.
    FileStat obj = FileStat.lstatAtIfExists(object.dirFd(), object.name());
    if (obj == null) {
      if (!unchanged(first, st)) {
        skipped.incrementAndGet();
        return;
      }
      try {
        FileCalls.linkat(first.dir().fd(), first.name(), object.dirFd(), object.name());
        newObjects.incrementAndGet();
        return;
      } catch (FileCalls.CallException e) {
        if (e.errno() != FileCalls.EEXIST) {
          throw e;
        }
        // Another worker or run made it meanwhile: this file becomes another link to it.
        obj = FileStat.lstatAtIfExists(object.dirFd(), object.name());
        if (obj == null) {
          throw new IOException("store object " + store.object(key) + " vanished while it was linked");
        }
      }
    }
    if (obj.id().equals(st.id())) {
      return;
    }
    if (!matches(obj, key, st.size())) {
      note.accept("store object " + store.object(key) + " does not match its name; " + first.path() + " left as it is");
      skipped.incrementAndGet();
      return;
    }
    for (Name n : inode.names()) {
      if (!unchanged(n, st)) {
        skipped.incrementAndGet();
        continue;
      }
      byte[] temp = FileCalls.bytes(TEMP_PREFIX + PID + "." + tempCounter.incrementAndGet());
      FileCalls.linkat(object.dirFd(), object.name(), n.dir().fd(), temp);
      try {
        FileCalls.renameat(n.dir().fd(), temp, n.dir().fd(), n.name());
      } catch (IOException e) {
        FileCalls.unlinkat(n.dir().fd(), temp, 0);
        throw e;
      }
      linked.incrementAndGet();
    }
    saved.addAndGet(st.size());
  }

  private static final long PID = ProcessHandle.current().pid();

  /** The file is still the inode we hashed, with the same size and time. */
  private static boolean unchanged(Name n, FileStat was) throws IOException {
    FileStat now = FileStat.lstatAtIfExists(n.dir().fd(), n.name());
    return now != null && now.id().equals(was.id()) && now.size() == was.size() && now.mtimeSec() == was.mtimeSec()
        && now.mtimeNsec() == was.mtimeNsec() && now.mode() == was.mode() && now.uid() == was.uid()
        && now.gid() == was.gid();
  }

  private static boolean matches(FileStat obj, ObjectKey key, long size) {
    return obj.isRegular() && obj.size() == size && obj.permissions() == key.permissions()
        && obj.uid() == key.uid() && obj.gid() == key.gid()
        && (!key.withMtime() || (obj.mtimeSec() == key.mtimeSec() && obj.mtimeNsec() == key.mtimeNsec()));
  }
}
