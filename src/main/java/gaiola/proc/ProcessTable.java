package gaiola.proc;

import gaiola.error.HostException;
import gaiola.error.NotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A snapshot of every process on the host, across all PID namespaces, read from a procfs mounted in
 * the host's PID namespace. Processes that end while the table is read are left out.
 */
public final class ProcessTable {
  private final List<ProcessInfo> processes;
  private final Map<Long, ProcessInfo> byPid;
  private final long hostNamespace;
  private final Instant bootTime;

  private ProcessTable(List<ProcessInfo> processes, long hostNamespace, Instant bootTime) {
    this.processes = processes.stream().sorted(Comparator.comparingLong(ProcessInfo::pid)).toList();
    this.byPid =
        this.processes.stream().collect(Collectors.toMap(ProcessInfo::pid, Function.identity()));
    this.hostNamespace = hostNamespace;
    this.bootTime = bootTime;
  }

  /** A table of given processes, for callers that already hold them (and for tests). */
  public static ProcessTable of(List<ProcessInfo> processes, long hostNamespace, Instant bootTime) {
    return new ProcessTable(processes, hostNamespace, bootTime);
  }

  /**
   * Reads every process under {@code procRoot} (normally {@code /proc}), naming users from {@code
   * /etc/passwd}.
   */
  public static ProcessTable read(Path procRoot) throws HostException {
    return read(procRoot, Path.of("/etc/passwd"));
  }

  /** Reads every process under {@code procRoot}, naming users from the given passwd file. */
  public static ProcessTable read(Path procRoot, Path passwd) throws HostException {
    Instant bootTime = ProcessReader.bootTime(procRoot);
    long hostNamespace = hostNamespace(procRoot);
    ProcessReader reader =
        new ProcessReader(
            procRoot,
            bootTime,
            ProcessReader.clockTicks(procRoot),
            hostNamespace,
            ProcessReader.users(passwd));
    List<ProcessInfo> processes = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          reader.read(Long.parseLong(name)).ifPresent(processes::add);
        }
      }
    } catch (IOException e) {
      throw new HostException("cannot list " + procRoot + ": " + e.getMessage(), e);
    }
    return new ProcessTable(processes, hostNamespace, bootTime);
  }

  /** The inode of {@code procRoot/PID/ns/pid}: which PID namespace the process is in. */
  public static long pidNamespaceOf(Path procRoot, long pid)
      throws HostException, NotFoundException {
    Path dir = procRoot.resolve(Long.toString(pid));
    try {
      long inode = ProcessReader.namespaceOf(dir);
      if (inode == ProcessInfo.UNKNOWN_NAMESPACE) {
        throw new HostException(
            "may not read the PID namespace of process " + pid,
            "run as root to see other users' processes");
      }
      return inode;
    } catch (IOException e) {
      if (ProcessReader.vanished(e)) {
        throw new NotFoundException("process " + pid + " does not exist", null);
      }
      throw new HostException("cannot read " + dir.resolve("ns/pid") + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new HostException("cannot parse " + dir.resolve("ns/pid") + ": " + e.getMessage(), e);
    }
  }

  // the procfs' own namespace: ours through "self", else that of its PID 1
  private static long hostNamespace(Path procRoot) {
    for (String dir : List.of("self", "1")) {
      try {
        long inode = ProcessReader.namespaceOf(procRoot.resolve(dir));
        if (inode != ProcessInfo.UNKNOWN_NAMESPACE) {
          return inode;
        }
      } catch (IOException | IllegalArgumentException e) {
        // try the next candidate
      }
    }
    return ProcessInfo.UNKNOWN_NAMESPACE;
  }

  /** Every process, by pid. */
  public List<ProcessInfo> all() {
    return processes;
  }

  /** The process with this (host) pid, if it was running when the table was read. */
  public Optional<ProcessInfo> process(long pid) {
    return Optional.ofNullable(byPid.get(pid));
  }

  /** The processes of one PID namespace, by pid. */
  public List<ProcessInfo> inNamespace(long pidNsInode) {
    return processes.stream().filter(p -> p.pidNamespace() == pidNsInode).toList();
  }

  /** Processes grouped by PID namespace; namespaces in the order of their lowest pid. */
  public Map<Long, List<ProcessInfo>> byPidNamespace() {
    return processes.stream()
        .collect(
            Collectors.groupingBy(
                ProcessInfo::pidNamespace, LinkedHashMap::new, Collectors.toList()));
  }

  /** The PID namespace the procfs belongs to: the host's, context 0. */
  public long hostNamespace() {
    return hostNamespace;
  }

  /** When the host booted ({@code btime}), the start of the host context. */
  public Instant bootTime() {
    return bootTime;
  }
}
