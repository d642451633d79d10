package gaiola.runtime;

import gaiola.config.FstabEntry;
import gaiola.config.Fstab;
import gaiola.config.GuestConfig;
import gaiola.error.InvalidInputException;
import gaiola.host.CapabilityBounds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Turns a guest's configuration into the OCI {@code config.json} that runc runs. */
public final class SpecBuilder {
  /** Where the reaper is bind-mounted: inside the guest's private /dev tmpfs, so the tree is untouched. */
  public static final String REAPER_PATH = "/dev/.gaiola-init";

  static final List<String> ENV =
      List.of(
          "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "HOME=/root",
          "TERM=linux",
          "container=gaiola");

  /** Every namespace a guest gets; a guest with {@code nonetns} keeps the host's network. */
  private static List<OciSpec.Namespace> namespaces(GuestConfig config) {
    List<OciSpec.Namespace> ns = new ArrayList<>();
    for (String type : List.of("pid", "network", "ipc", "uts", "mount", "cgroup")) {
      if (!(type.equals("network") && config.network().hostStack())) {
        ns.add(new OciSpec.Namespace(type, null));
      }
    }
    return ns;
  }

  private static final Set<String> PROVIDED = Set.of("/proc", "/sys", "/dev", "/dev/pts", "/dev/shm");

  private static final List<String> MASKED =
      List.of(
          "/proc/kmsg", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
          "/proc/timer_list", "/proc/sched_debug", "/proc/acpi", "/proc/scsi", "/sys/firmware");

  /** Read-only rather than masked where a write should fail loudly (sysrq-trigger: EROFS). */
  private static final List<String> READ_ONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /** Syscalls a guest never needs and must not have even with SYS_BOOT: kexec and modules. */
  private static final List<String> DENIED_SYSCALLS =
      List.of("kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module");

  private SpecBuilder() {}

  /**
   * Builds the spec.
   *
   * @param pid1 the argument vector of the guest's PID 1, as the guest sees it
   * @param reaper the host's reaper binary to bind-mount at {@link #REAPER_PATH}, or null
   * @param cgroupsPath relative, so that runc nests the guest below our own cgroup
   */
  /**
   * The guest's open-descriptor limit: 1,024 soft, as a freshly booted host gives (old programs
   * close every descriptor up to it), instead of the starting JVM's, which raises its own soft
   * limit to its hard one. The hard limit stays ours, at most systemd's 524,288: raising it would
   * take CAP_SYS_RESOURCE, which guests lack.
   */
  static OciSpec.Rlimit openFiles() {
    long hard = gaiola.host.OpenFiles.hardLimit();
    hard = hard <= 0 ? 1024 : Math.min(hard, 524_288);
    return new OciSpec.Rlimit("RLIMIT_NOFILE", hard, Math.min(1024, hard));
  }

  public static OciSpec build(
      GuestConfig config, List<String> pid1, Path reaper, String cgroupsPath, Consumer<String> notes)
      throws InvalidInputException {
    List<String> caps = GuestCapabilities.effective(config.bcapabilities());
    Set<String> bound = CapabilityBounds.ours();
    for (String c : caps) {
      if (!bound.contains(c)) {
        notes.accept(c + " is outside this host's own bounding set; the guest goes without it");
      }
    }
    caps = caps.stream().filter(bound::contains).toList();
    OciSpec.Process process =
        new OciSpec.Process(
            false,
            new OciSpec.User(0, 0),
            pid1,
            ENV,
            "/",
            new OciSpec.Capabilities(caps, caps, List.of(), caps, List.of()),
            List.of(openFiles()),
            false);
    List<OciSpec.Mount> mounts = new ArrayList<>(baseMounts());
    if (reaper != null) {
      mounts.add(
          new OciSpec.Mount(REAPER_PATH, "bind", reaper.toString(), List.of("bind", "ro", "nosuid")));
    }
    for (FstabEntry e : config.fstab()) {
      String target = Path.of(e.target()).normalize().toString();
      if (PROVIDED.contains(target)) {
        notes.accept("fstab: " + target + " is provided by Gaiola; the line is skipped");
        continue;
      }
      // Refuse a target that leaves the guest root through '..' or a symlink planted in the tree.
      Fstab.resolveInside(config.vdir(), e.target());
      mounts.add(toMount(e));
    }
    OciSpec.Linux linux =
        new OciSpec.Linux(
            namespaces(config),
            new OciSpec.Resources(StandardDevices.RULES),
            cgroupsPath,
            new OciSpec.Seccomp(
                "SCMP_ACT_ALLOW",
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                List.of(new OciSpec.SyscallRule(DENIED_SYSCALLS, "SCMP_ACT_ERRNO", 1))),
            MASKED,
            READ_ONLY,
            null);
    return new OciSpec(
        OciSpec.VERSION,
        process,
        new OciSpec.Root(config.vdir().toString(), false),
        config.uts().nodename(),
        config.uts().domainname().orElse(null),
        mounts,
        linux);
  }

  static OciSpec.Mount toMount(FstabEntry e) {
    if (e.isBind()) {
      List<String> options = new ArrayList<>();
      options.add(e.options().contains("rbind") ? "rbind" : "bind");
      for (String o : e.options()) {
        if (!o.equals("bind") && !o.equals("rbind")) {
          options.add(o);
        }
      }
      return new OciSpec.Mount(e.target(), "bind", e.source(), options);
    }
    return new OciSpec.Mount(e.target(), e.type(), e.source(), e.options());
  }

  private static List<OciSpec.Mount> baseMounts() {
    return List.of(
        new OciSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
        new OciSpec.Mount(
            "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
        new OciSpec.Mount(
            "/dev/pts",
            "devpts",
            "devpts",
            List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
        new OciSpec.Mount(
            "/dev/shm",
            "tmpfs",
            "shm",
            List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
        new OciSpec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
        new OciSpec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
  }
}
