package gaiola.proc;

import gaiola.error.HostException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the files of one {@code /proc/PID} directory into a {@link ProcessInfo}. */
final class ProcessReader {
  /** USER_HZ on every mainstream Linux architecture, used when auxv cannot tell. */
  static final long DEFAULT_CLOCK_TICKS = 100;

  private static final long AT_NULL = 0;
  private static final long AT_CLKTCK = 17;

  private final Path procRoot;
  private final Instant bootTime;
  private final long clockTicks;
  private final long hostNamespace;
  private final Map<Long, String> users;

  ProcessReader(
      Path procRoot,
      Instant bootTime,
      long clockTicks,
      long hostNamespace,
      Map<Long, String> users) {
    this.procRoot = procRoot;
    this.bootTime = bootTime;
    this.clockTicks = clockTicks;
    this.hostNamespace = hostNamespace;
    this.users = Map.copyOf(users);
  }

  /** The process, or empty if it ended while we read it. */
  Optional<ProcessInfo> read(long pid) throws HostException {
    Path dir = procRoot.resolve(Long.toString(pid));
    try {
      Stat stat = parseStat(Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8));
      Map<String, String> status =
          parseStatus(Files.readString(dir.resolve("status"), StandardCharsets.UTF_8));
      List<String> argv = readArgv(dir.resolve("cmdline"));
      long[] nspid = numbers(status.getOrDefault("NSpid", Long.toString(pid)));
      long namespace = namespaceOf(dir);
      // without root the link is closed, but a lone NSpid entry means the procfs' own namespace
      if (namespace == ProcessInfo.UNKNOWN_NAMESPACE && nspid.length == 1) {
        namespace = hostNamespace;
      }
      long uid = numbers(status.getOrDefault("Uid", "0"))[0];
      long rssKb = numbers(status.getOrDefault("VmRSS", "0 kB"))[0];
      return Optional.of(
          new ProcessInfo(
              pid,
              stat.field(4),
              uid,
              Optional.ofNullable(users.get(uid)),
              stat.state(),
              stat.field(23),
              rssKb * 1024,
              ticks(stat.field(14)),
              ticks(stat.field(15)),
              ticks(stat.field(16)),
              ticks(stat.field(17)),
              bootTime.plus(ticks(stat.field(22))),
              (int) stat.field(7),
              stat.comm(),
              argv,
              namespace,
              nspid[nspid.length - 1]));
    } catch (IOException e) {
      if (vanished(e)) {
        return Optional.empty();
      }
      throw new HostException("cannot read " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new HostException("cannot parse " + dir + ": " + e.getMessage(), e);
    }
  }

  /** True when the error means the process is gone (ENOENT on open, ESRCH on read). */
  static boolean vanished(IOException e) {
    String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    return e instanceof NoSuchFileException || "No such process".equals(reason);
  }

  /**
   * The inode of {@code dir/ns/pid}, or {@link ProcessInfo#UNKNOWN_NAMESPACE} if we may not look.
   */
  static long namespaceOf(Path pidDir) throws IOException {
    try {
      return namespaceInode(Files.readSymbolicLink(pidDir.resolve("ns").resolve("pid")).toString());
    } catch (AccessDeniedException e) {
      return ProcessInfo.UNKNOWN_NAMESPACE;
    }
  }

  /** Parses a namespace link target such as {@code pid:[4026531836]}. */
  static long namespaceInode(String target) {
    int open = target.indexOf('[');
    int close = target.lastIndexOf(']');
    if (!target.startsWith("pid:") || open < 0 || close < open) {
      throw new IllegalArgumentException("not a pid namespace link: " + target);
    }
    return Long.parseLong(target.substring(open + 1, close));
  }

  /** The fields of {@code stat}, numbered as proc(5) numbers them (1 = pid, 2 = comm). */
  record Stat(String comm, char state, String[] rest) {
    long field(int number) {
      return Long.parseLong(rest[number - 3]);
    }
  }

  static Stat parseStat(String line) {
    // comm may hold spaces and ')' itself; the kernel writes nothing after it but numbers
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("malformed stat line: " + line.strip());
    }
    String[] rest = line.substring(close + 1).strip().split(" +");
    if (rest.length < 22) {
      throw new IllegalArgumentException("stat line has only " + (rest.length + 2) + " fields");
    }
    return new Stat(line.substring(open + 1, close), rest[0].charAt(0), rest);
  }

  static Map<String, String> parseStatus(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return fields;
  }

  private static long[] numbers(String text) {
    String[] words = text.strip().split("\\s+");
    long[] values = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      values[i] = !w.isEmpty() && w.chars().allMatch(Character::isDigit) ? Long.parseLong(w) : 0;
    }
    return values;
  }

  private static List<String> readArgv(Path cmdline) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(cmdline);
    } catch (AccessDeniedException e) {
      return List.of();
    }
    List<String> argv = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == 0) {
        // a trailing NUL ends the last argument, it does not start an empty one
        if (i > start || i < bytes.length) {
          argv.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return argv;
  }

  private Duration ticks(long ticks) {
    return Duration.ofSeconds(
        ticks / clockTicks, (ticks % clockTicks) * 1_000_000_000L / clockTicks);
  }

  /** {@code btime} of {@code /proc/stat}: when the host booted, in whole seconds. */
  static Instant bootTime(Path procRoot) throws HostException {
    Path stat = procRoot.resolve("stat");
    try {
      for (String line : Files.readAllLines(stat, StandardCharsets.UTF_8)) {
        if (line.startsWith("btime ")) {
          return Instant.ofEpochSecond(Long.parseLong(line.substring(6).strip()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new HostException("cannot read the boot time from " + stat + ": " + e.getMessage(), e);
    }
    throw new HostException("no btime line in " + stat);
  }

  /** AT_CLKTCK from our own auxiliary vector, the kernel's USER_HZ. */
  static long clockTicks(Path procRoot) {
    try {
      ByteBuffer auxv =
          ByteBuffer.wrap(Files.readAllBytes(procRoot.resolve("self").resolve("auxv")));
      auxv.order(ByteOrder.nativeOrder());
      // Java 25 runs only on 64-bit Linux, where each entry is two 8-byte words
      while (auxv.remaining() >= 16) {
        long type = auxv.getLong();
        long value = auxv.getLong();
        if (type == AT_CLKTCK && value > 0) {
          return value;
        }
        if (type == AT_NULL) {
          break;
        }
      }
    } catch (IOException e) {
      // a fake or restricted /proc: fall back to the universal value
    }
    return DEFAULT_CLOCK_TICKS;
  }

  /** uid to name from a passwd file; the first name of a uid wins, as getpwuid's does. */
  static Map<Long, String> users(Path passwd) {
    Map<Long, String> users = new HashMap<>();
    try {
      for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
        String[] fields = line.split(":", -1);
        if (fields.length >= 3
            && !fields[2].isEmpty()
            && fields[2].chars().allMatch(Character::isDigit)) {
          users.putIfAbsent(Long.parseLong(fields[2]), fields[0]);
        }
      }
    } catch (IOException e) {
      // no passwd file: show numeric uids
    }
    return users;
  }
}
