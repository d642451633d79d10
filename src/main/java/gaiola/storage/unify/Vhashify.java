package gaiola.storage.unify;

import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.host.FileStat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
      return new Options(16, false, false, false, Excludes.defaults(), Runtime.getRuntime().availableProcessors());
    }
  }

  /** What a run did (or, with --dry-run, would do). */
  public record Result(
      long files, long candidates, long alreadyShared, long linked, long newObjects, long bytesSaved,
      long bytesHashed, long skipped) {}

  private record Inode(FileStat stat, List<Path> paths) {}

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
    ContentHash.warmUp();
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
          walk(tree, "", top.dev(), inStore, linkedInodes, counts, pool);
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
        submit(pool, inode);
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
        "walked %d files in %d ms, hashed and linked %d inodes in %d ms in all", counts[0],
        (walked - started) / 1_000_000, counts[3], (System.nanoTime() - started) / 1_000_000));
    return new Result(
        counts[0], counts[1], counts[2], linked.get(), newObjects.get(), saved.get(), hashed.get(), skipped.get());
  }

  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final ThreadLocal<ContentHash> hashes = ThreadLocal.withInitial(ContentHash::new);

  private void submit(ExecutorService pool, Inode inode) {
    pool.execute(
        () -> {
          if (failure.get() != null) {
            return;
          }
          try {
            unify(inode, hashes.get());
          } catch (NoSuchFileException e) {
            skipped.incrementAndGet();
          } catch (Exception e) {
            failure.compareAndSet(null, e);
          }
        });
  }

  private void walk(
      Path dir, String rel, long dev, Set<FileStat.FileId> inStore, Map<FileStat.FileId, Inode> linkedInodes,
      long[] counts, ExecutorService pool)
      throws IOException {
    // The whole listing first: workers change a directory only once it has been read.
    List<Path> listing = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(listing::add);
    }
    List<Path> subdirs = new ArrayList<>();
    for (Path p : listing) {
      if (failure.get() != null) {
        return;
      }
      String name = p.getFileName().toString();
      String relPath = rel + "/" + name;
      FileStat st = FileStat.lstatIfExists(p);
      if (st == null) {
        continue;
      }
      if (st.isDirectory()) {
        // Another filesystem mounted below is not ours to change; excluded directories are not entered.
        if (st.dev() == dev && !options.excludes().excludes(relPath)) {
          subdirs.add(p);
        }
        continue;
      }
      if (!st.isRegular()) {
        continue;
      }
      counts[0]++;
      if (name.startsWith(TEMP_PREFIX)) {
        removeLeftover(p, st, inStore);
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
      if (st.nlink() == 1) {
        counts[3]++;
        submit(pool, new Inode(st, List.of(p)));
      } else {
        linkedInodes.computeIfAbsent(st.id(), id -> {
          counts[3]++;
          return new Inode(st, new ArrayList<>());
        }).paths().add(p);
      }
    }
    for (Path d : subdirs) {
      walk(d, rel + "/" + d.getFileName(), dev, inStore, linkedInodes, counts, pool);
    }
  }

  /** A temporary link left by a killed run is a second name of a store object: safe to drop. */
  private void removeLeftover(Path p, FileStat st, Set<FileStat.FileId> inStore) throws IOException {
    if (inStore.contains(st.id()) && st.nlink() >= 2 && !options.dryRun()) {
      Files.deleteIfExists(p);
      note.accept("removed " + p + ", left by an interrupted run");
    }
  }

  private void unify(Inode inode, ContentHash hash) throws IOException {
    FileStat st = inode.stat();
    Path first = inode.paths().getFirst();
    long[] read = new long[1];
    byte[] digest = hash.of(first, st.size(), read);
    hashed.addAndGet(read[0]);
    if (read[0] != st.size()) {
      // Changed while we read it: leave it for the next run.
      skipped.incrementAndGet();
      return;
    }
    ObjectKey key =
        new ObjectKey(digest, st.permissions(), st.uid(), st.gid(), !options.ignoreMtime(), st.mtimeSec(), st.mtimeNsec());
    Path object = store.object(key);
    if (options.dryRun()) {
      // The first file with a new key would become the object; every other would be shared.
      if (FileStat.lstatIfExists(object) != null || plannedKeys.putIfAbsent(key, Boolean.TRUE) != null) {
        linked.addAndGet(inode.paths().size());
        saved.addAndGet(st.size());
      } else {
        newObjects.incrementAndGet();
      }
      return;
    }
    store.prepare(object);
    // Most keys were met before (in this run or an earlier one): look before trying to link.
    FileStat obj = FileStat.lstatIfExists(object);
    if (obj == null) {
      if (!unchanged(first, st)) {
        skipped.incrementAndGet();
        return;
      }
      try {
        Files.createLink(object, first);
        newObjects.incrementAndGet();
        return;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Another worker or run made it meanwhile: this file becomes another link to it.
        obj = FileStat.lstat(object);
      }
    }
    if (obj.id().equals(st.id())) {
      return;
    }
    if (!matches(obj, key, st.size())) {
      note.accept("store object " + object + " does not match its name; " + first + " left as it is");
      skipped.incrementAndGet();
      return;
    }
    for (Path p : inode.paths()) {
      if (!unchanged(p, st)) {
        skipped.incrementAndGet();
        continue;
      }
      Path temp = p.resolveSibling(TEMP_PREFIX + ProcessHandle.current().pid() + "." + tempCounter.incrementAndGet());
      Files.createLink(temp, object);
      try {
        Files.move(temp, p, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      linked.incrementAndGet();
    }
    saved.addAndGet(st.size());
  }

  /** The file is still the inode we hashed, with the same size and time. */
  private static boolean unchanged(Path p, FileStat was) throws IOException {
    FileStat now = FileStat.lstat(p);
    return now.id().equals(was.id()) && now.size() == was.size() && now.mtimeSec() == was.mtimeSec()
        && now.mtimeNsec() == was.mtimeNsec() && now.mode() == was.mode() && now.uid() == was.uid()
        && now.gid() == was.gid();
  }

  private static boolean matches(FileStat obj, ObjectKey key, long size) {
    return obj.isRegular() && obj.size() == size && obj.permissions() == key.permissions()
        && obj.uid() == key.uid() && obj.gid() == key.gid()
        && (!key.withMtime() || (obj.mtimeSec() == key.mtimeSec() && obj.mtimeNsec() == key.mtimeNsec()));
  }
}
