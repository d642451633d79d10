package gaiola.runtime;

import java.util.List;
import java.util.Map;

/**
 * The subset of the OCI runtime specification's {@code config.json} that Gaiola writes. Field names
 * are the specification's; null fields are left out ({@link SpecJson}).
 */
public record OciSpec(
    String ociVersion,
    Process process,
    Root root,
    String hostname,
    String domainname,
    List<Mount> mounts,
    Linux linux) {

  /** The runtime-spec version we target (runc 1.1 supports up to 1.0.2-dev). */
  public static final String VERSION = "1.0.2-dev";

    public record Process(
      boolean terminal,
      User user,
      List<String> args,
      List<String> env,
      String cwd,
      Capabilities capabilities,
      List<Rlimit> rlimits,
      boolean noNewPrivileges) {}

  public record User(int uid, int gid) {}

  public record Capabilities(
      List<String> bounding,
      List<String> effective,
      List<String> inheritable,
      List<String> permitted,
      List<String> ambient) {}

  public record Rlimit(String type, long hard, long soft) {}

  public record Root(String path, boolean readonly) {}

    public record Mount(String destination, String type, String source, List<String> options) {}

    public record Linux(
      List<Namespace> namespaces,
      Resources resources,
      String cgroupsPath,
      Seccomp seccomp,
      List<String> maskedPaths,
      List<String> readonlyPaths,
      Map<String, String> sysctl) {}

    public record Namespace(String type, String path) {}

    public record Resources(List<DeviceRule> devices) {}

    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {}

  public record Seccomp(String defaultAction, List<String> architectures, List<SyscallRule> syscalls) {}

  public record SyscallRule(List<String> names, String action, int errnoRet) {}
}
