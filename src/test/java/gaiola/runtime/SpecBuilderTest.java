package gaiola.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.CapabilityChange;
import gaiola.config.ContextId;
import gaiola.config.FstabEntry;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.InitConfig;
import gaiola.config.Uts;
import gaiola.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecBuilderTest {
  @TempDir Path vdir;

  GuestConfig config(List<FstabEntry> fstab, List<CapabilityChange> caps) {
    return new GuestConfig(
        new GuestName("vs01"), new ContextId(1001), vdir, new Uts("vs01", Optional.of("example.org")),
        InitConfig.DEFAULT, fstab, List.of(), caps);
  }

  OciSpec build(GuestConfig c, List<String> notes) throws InvalidInputException {
    return SpecBuilder.build(c, List.of("/sbin/init"), null, "gaiola-vs01", notes::add);
  }

  @Test
  void aGuestGetsItsOwnNamespacesAndNames() throws Exception {
    OciSpec spec = build(config(List.of(), List.of()), new ArrayList<>());
    assertThat(spec.linux().namespaces())
        .extracting(OciSpec.Namespace::type)
        .containsExactlyInAnyOrder("pid", "network", "ipc", "uts", "mount", "cgroup");
    assertThat(spec.hostname()).isEqualTo("vs01");
    assertThat(spec.domainname()).isEqualTo("example.org");
    assertThat(spec.root().path()).isEqualTo(vdir.toString());
    assertThat(spec.process().args()).containsExactly("/sbin/init");
    assertThat(spec.linux().cgroupsPath()).isEqualTo("gaiola-vs01");
  }

  @Test
  void theDefaultCapabilitiesKeepBootAndPingButNotTheKernel() throws Exception {
    List<String> caps = build(config(List.of(), List.of()), new ArrayList<>()).process().capabilities().bounding();
    assertThat(caps).contains("CAP_SYS_BOOT", "CAP_NET_RAW", "CAP_CHOWN", "CAP_KILL");
    assertThat(caps)
        .doesNotContain(
            "CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_TIME", "CAP_NET_ADMIN",
            "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_LINUX_IMMUTABLE");
  }

  @Test
  void theGuestStartsWithABootedHostsOpenFileLimitNotOurs() throws Exception {
    assertThat(build(config(List.of(), List.of()), new ArrayList<>()).process().rlimits())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.type()).isEqualTo("RLIMIT_NOFILE");
          assertThat(r.soft()).isEqualTo(1024);
          assertThat(r.hard()).isBetween(1024L, 524_288L);
        });
  }

  @Test
  void bcapabilitiesAddAndRemove() throws Exception {
    var changes = List.of(CapabilityChange.parse("!CAP_NET_RAW"), CapabilityChange.parse("CAP_NET_ADMIN"));
    List<String> caps = build(config(List.of(), changes), new ArrayList<>()).process().capabilities().effective();
    assertThat(caps).contains("CAP_NET_ADMIN").doesNotContain("CAP_NET_RAW");
  }

  @Test
  void kexecAndModulesAreDeniedBySeccomp() throws Exception {
    OciSpec.Seccomp s = build(config(List.of(), List.of()), new ArrayList<>()).linux().seccomp();
    assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ALLOW");
    assertThat(s.syscalls().getFirst().names())
        .contains("kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module");
    assertThat(s.syscalls().getFirst().action()).isEqualTo("SCMP_ACT_ERRNO");
  }

  @Test
  void dangerousProcEntriesAreMaskedAndOnlyStandardDevicesAllowed() throws Exception {
    OciSpec spec = build(config(List.of(), List.of()), new ArrayList<>());
    assertThat(spec.linux().maskedPaths())
        .contains("/proc/kmsg", "/proc/kcore", "/sys/firmware");
    assertThat(spec.linux().readonlyPaths()).contains("/proc/sys", "/proc/sysrq-trigger");
    var devices = spec.linux().resources().devices();
    assertThat(devices.getFirst().allow()).isFalse();
    assertThat(devices.stream().filter(OciSpec.DeviceRule::allow))
        .allMatch(d -> d.type().equals("c"))
        .noneMatch(d -> d.major() == 8); // no block disks
    assertThat(spec.mounts()).anyMatch(m -> m.destination().equals("/sys") && m.options().contains("ro"));
  }

  @Test
  void fstabLinesBecomeMountsAndProvidedOnesAreSkipped() throws Exception {
    List<String> notes = new ArrayList<>();
    var fstab =
        List.of(
            new FstabEntry("none", "/proc", "proc", List.of()),
            new FstabEntry("none", "/tmp", "tmpfs", List.of("size=16m", "mode=1777")),
            new FstabEntry("/srv/data", "/data", "none", List.of("bind", "ro")));
    OciSpec spec = build(config(fstab, List.of()), notes);
    assertThat(spec.mounts().stream().filter(m -> m.destination().equals("/proc"))).hasSize(1);
    assertThat(notes).anyMatch(n -> n.contains("/proc"));
    assertThat(spec.mounts())
        .anySatisfy(m -> {
          assertThat(m.destination()).isEqualTo("/data");
          assertThat(m.type()).isEqualTo("bind");
          assertThat(m.options()).containsExactly("bind", "ro");
        })
        .anySatisfy(m -> assertThat(m.destination()).isEqualTo("/tmp"));
  }

  @Test
  void mountTargetsAreResolvedAsTheGuestSeesThem() throws Exception {
    Files.createSymbolicLink(vdir.resolve("escape"), Path.of("/etc"));
    Files.createSymbolicLink(vdir.resolve("up"), Path.of("../../../../etc"));
    Files.createSymbolicLink(vdir.resolve("loop"), Path.of("loop"));
    // Links are followed inside the guest root, as runc mounts them: both land in the guest's /etc.
    build(config(List.of(new FstabEntry("/srv", "/escape/x", "none", List.of("bind"))), List.of()), new ArrayList<>());
    build(config(List.of(new FstabEntry("/srv", "/up/x", "none", List.of("bind"))), List.of()), new ArrayList<>());
    var looping = List.of(new FstabEntry("/srv", "/loop/x", "none", List.of("bind")));
    assertThatThrownBy(() -> build(config(looping, List.of()), new ArrayList<>()))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void theReaperIsBoundReadOnlyIntoTheGuestsDev() throws Exception {
    OciSpec spec =
        SpecBuilder.build(config(List.of(), List.of()), List.of(SpecBuilder.REAPER_PATH, "-P"),
            Path.of("/usr/bin/catatonit"), "g", n -> {});
    assertThat(spec.mounts())
        .anySatisfy(m -> {
          assertThat(m.destination()).isEqualTo("/dev/.gaiola-init");
          assertThat(m.source()).isEqualTo("/usr/bin/catatonit");
          assertThat(m.options()).contains("ro");
        });
  }
}
