package gaiola.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import gaiola.config.ContextId;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.config.InitConfig;
import gaiola.config.Uts;
import gaiola.host.SystemProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionScriptsTest {
  @TempDir Path root;

  private GuestConfig guest() throws Exception {
    Path vdir = Files.createDirectories(root.resolve("vservers/vs01"));
    return new GuestConfig(
        new GuestName("vs01"), new ContextId(4242), vdir, new Uts("vs01", Optional.empty()),
        InitConfig.DEFAULT, List.of(), List.of(), List.of());
  }

  private Path script(Path file, String body, boolean executable) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    if (executable) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return file;
  }

  @Test
  void theFileRunsFirstThenTheDirectoryInNameOrderSkippingBackupsAndNonExecutables() throws Exception {
    HostLayout layout = new HostLayout(root);
    GuestConfig g = guest();
    Path scripts = layout.configDir(g.name()).resolve("scripts");
    script(scripts.resolve("pre-start"), "true", true);
    script(scripts.resolve("pre-start.d/20-b"), "true", true);
    script(scripts.resolve("pre-start.d/10-a"), "true", true);
    script(scripts.resolve("pre-start.d/15-off"), "true", false);
    script(scripts.resolve("pre-start.d/30-c~"), "true", true);
    assertThat(new ActionScripts(layout, new SystemProcessRunner()).find(g, Phase.PRE_START))
        .extracting(p -> scripts.relativize(p).toString())
        .containsExactly("pre-start", "pre-start.d/10-a", "pre-start.d/20-b");
  }

  @Test
  void aGuestWithoutScriptsOfAPhaseGetsTheDefaults() throws Exception {
    HostLayout layout = new HostLayout(root);
    GuestConfig g = guest();
    Path def = script(layout.defaults().resolve("scripts/post-stop"), "true", true);
    ActionScripts s = new ActionScripts(layout, new SystemProcessRunner());
    assertThat(s.find(g, Phase.POST_STOP)).containsExactly(def);
    Path own = script(layout.configDir(g.name()).resolve("scripts/post-stop"), "true", true);
    assertThat(s.find(g, Phase.POST_STOP)).containsExactly(own);
  }

  @Test
  void scriptsGetArgumentsEnvironmentAndWorkingDirectoryAndTheFirstFailureStops() throws Exception {
    HostLayout layout = new HostLayout(root);
    GuestConfig g = guest();
    Path scripts = layout.configDir(g.name()).resolve("scripts");
    Path log = root.resolve("log/vs01.log");
    script(scripts.resolve("prepre-start"), "echo \"$1 $2 $GAIOLA_NAME $GAIOLA_CONTEXT $GAIOLA_PHASE $VEID $(pwd)\"", true);
    script(scripts.resolve("pre-start.d/10-fail"), "echo failing; exit 4", true);
    script(scripts.resolve("pre-start.d/20-never"), "echo never", true);
    ActionScripts s = new ActionScripts(layout, new SystemProcessRunner());
    assertThat(s.run(g, Phase.PREPRE_START, log)).isEmpty();
    assertThat(s.run(g, Phase.PRE_START, log)).get().asString()
        .contains("10-fail failed (exit 4)").contains(log.toString());
    assertThat(Files.readAllLines(log)).containsExactly(
        "prepre-start vs01 vs01 4242 prepre-start 4242 " + layout.configDir(g.name()), "failing");
  }

  @Test
  void phasesNameTheirFilesAndTheEarlyOnesAbortAStart() {
    assertThat(Phase.PREPRE_START.fileName()).isEqualTo("prepre-start");
    assertThat(Phase.of("postpost-stop")).contains(Phase.POSTPOST_STOP);
    assertThat(Phase.of("../pre-start")).isEmpty();
    assertThat(Phase.PRE_START.abortsStart()).isTrue();
    assertThat(Phase.POST_START.abortsStart()).isFalse();
    assertThat(Phase.UMOUNT.inConfigDir()).isTrue();
  }

  @Test
  void theInGuestStartScriptIsHandedOverWithTheGuestsNamesExported() throws Exception {
    HostLayout layout = new HostLayout(root);
    GuestConfig g = guest();
    assertThat(new ActionScripts(layout, new SystemProcessRunner()).inGuest(g, "start")).isEmpty();
    Files.createDirectories(layout.configDir(g.name()).resolve("scripts"));
    Files.writeString(layout.configDir(g.name()).resolve("scripts/start"), "echo hi\n");
    String text = new ActionScripts(layout, new SystemProcessRunner()).inGuest(g, "start").orElseThrow();
    assertThat(text).contains("export GAIOLA_NAME=vs01\n").contains("export GAIOLA_PHASE=start\n").endsWith("echo hi\n")
        .doesNotContain("VE_ROOT");
  }
}
