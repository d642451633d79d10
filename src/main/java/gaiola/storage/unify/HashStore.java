package gaiola.storage.unify;

import gaiola.error.HostException;
import gaiola.error.InvalidInputException;
import gaiola.host.FileCalls;
import gaiola.host.FileStat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The content-addressed store: one object per distinct (content, mode, owner, group[, mtime]),
 * hard-linked from every guest file that has them. The store's directories are 0700, so that no
 * user of the host reaches a shared inode through it. A run holds the store's lock from start to
 * end, so concurrent runs on one store take turns instead of racing.
 */
public final class HashStore implements AutoCloseable {
  static final String LOCK = ".lock";
  private static final java.nio.file.attribute.FileAttribute<?> PRIVATE_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path root;
  private final int rootFd;
  private final long dev;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private static final java.util.concurrent.ConcurrentMap<Path, java.util.concurrent.locks.ReentrantLock> IN_JVM =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.locks.ReentrantLock inJvm;

  private HashStore(
      Path root, long dev, FileChannel lockChannel, FileLock lock, java.util.concurrent.locks.ReentrantLock inJvm)
      throws IOException {
    this.rootFd = FileCalls.openat(FileCalls.AT_FDCWD, FileCalls.bytes(root.toString()),
        FileCalls.O_RDONLY | FileCalls.O_DIRECTORY, 0);
    this.root = root;
    this.dev = dev;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.inJvm = inJvm;
  }

  /**
   * Opens (and, when missing, creates) the store at {@code root} for a run over files on the
   * filesystem of {@code tree}; fails before any change when the two are on different filesystems.
   */
  public static HashStore open(Path root, Path tree, Consumer<String> waiting) throws HostException, InvalidInputException {
    root = root.toAbsolutePath().normalize();
    try {
      if (Files.isSymbolicLink(root)) {
        root = root.toRealPath();
      }
      FileStat treeStat = FileStat.lstat(tree);
      Path existing = root;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      if (existing == null || FileStat.lstat(existing.toRealPath()).dev() != treeStat.dev()) {
        throw new InvalidInputException(
            "the store " + root + " is on another filesystem than " + tree
                + "; hard links cannot cross filesystems",
            "put the store on the guests' filesystem (--destination DIR, or the apps/vunify/hash link)");
      }
      if (Files.exists(root, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException("the store " + root + " exists but is not a directory", "remove it or choose another");
      }
      Files.createDirectories(root.getParent());
      if (!Files.isDirectory(root)) {
        try {
          Files.createDirectory(root, PRIVATE_DIR);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // A concurrent run made it first; the checks below still apply.
        }
      }
      FileStat st = FileStat.lstat(root);
      if (st.dev() != treeStat.dev()) {
        throw new InvalidInputException(
            "the store " + root + " is on another filesystem than " + tree
                + "; hard links cannot cross filesystems",
            "put the store on the guests' filesystem (--destination DIR, or the apps/vunify/hash link)");
      }
      // A file lock keeps other processes out; within one JVM (the daemon) a lock per store does.
      java.util.concurrent.locks.ReentrantLock inJvm =
          IN_JVM.computeIfAbsent(root.toRealPath(), p -> new java.util.concurrent.locks.ReentrantLock());
      if (!inJvm.tryLock()) {
        waiting.accept("waiting for another vhashify on the store " + root);
        inJvm.lock();
      }
      try {
        FileChannel ch =
            FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.tryLock();
        if (l == null) {
          waiting.accept("waiting for another vhashify on the store " + root);
          l = ch.lock();
        }
        try {
          return new HashStore(root, st.dev(), ch, l, inJvm);
        } catch (IOException | RuntimeException e) {
          ch.close(); // releases the lock too
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        inJvm.unlock();
        throw e;
      }
    } catch (java.nio.file.AccessDeniedException e) {
      throw new HostException("cannot open the store " + root + ": permission denied on " + e.getFile(), "run as root");
    } catch (IOException e) {
      throw new HostException("cannot open the store " + root + ": " + e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  public long dev() {
    return dev;
  }

  /** Where the object of {@code key} lives (whether or not it exists yet), for messages. */
  public Path object(ObjectKey key) {
    return root.resolve(key.relativePath());
  }

  /** An object's place: its directory, open, and its name there. */
  record Slot(int dirFd, byte[] name) {}

  /** Descriptors of the object directories opened so far, each opened (and made) once per run. */
  private final java.util.concurrent.ConcurrentMap<String, Integer> dirs = new java.util.concurrent.ConcurrentHashMap<>();

  /** The object's slot; its directory is made, 0700, when missing. */
  Slot slot(ObjectKey key) throws IOException {
    String d = key.directory();
    Integer fd = dirs.get(d);
    if (fd == null) {
      fd = openDir(d, true);
    }
    return new Slot(fd, FileCalls.bytes(key.fileName()));
  }

  /** The object's status, or null when it does not exist; makes nothing (for dry runs). */
  FileStat lookUp(ObjectKey key) throws IOException {
    String d = key.directory();
    Integer fd = dirs.get(d);
    if (fd == null) {
      if (FileStat.lstatAtIfExists(rootFd, FileCalls.bytes(d)) == null) {
        return null;
      }
      fd = openDir(d, false);
    }
    return FileStat.lstatAtIfExists(fd, FileCalls.bytes(key.fileName()));
  }

  private synchronized int openDir(String d, boolean make) throws IOException {
    Integer known = dirs.get(d);
    if (known != null) {
      return known;
    }
    byte[] name = FileCalls.bytes(d);
    if (make) {
      try {
        FileCalls.mkdirat(rootFd, name, 0700);
      } catch (FileCalls.CallException e) {
        if (e.errno() != FileCalls.EEXIST) {
          throw e;
        }
      }
    }
    int fd = FileCalls.openat(rootFd, name, FileCalls.O_RDONLY | FileCalls.O_DIRECTORY | FileCalls.O_NOFOLLOW, 0);
    dirs.put(d, fd);
    return fd;
  }

  /** The inodes of every object: a file with one of them is already unified. */
  public Set<FileStat.FileId> inodes() throws IOException {
    Set<FileStat.FileId> ids = new HashSet<>();
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root, p -> p.getFileName().toString().length() == 2)) {
      for (Path a : top) {
        if (!Files.isDirectory(a, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> objects = Files.newDirectoryStream(a)) {
          for (Path o : objects) {
            FileStat st = FileStat.lstat(o);
            if (st.isRegular()) {
              ids.add(st.id());
            }
          }
        }
      }
    }
    return ids;
  }

  @Override
  public void close() throws IOException {
    dirs.values().forEach(FileCalls::close);
    dirs.clear();
    FileCalls.close(rootFd);
    try {
      lock.release();
    } finally {
      try {
        lockChannel.close();
      } finally {
        inJvm.unlock();
      }
    }
  }
}
