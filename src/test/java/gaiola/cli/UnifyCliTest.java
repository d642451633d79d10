package gaiola.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** vhashify, vdu, showattr, setattr and union on the command line: bad input is one line. */
class UnifyCliTest extends CommandLineTest {
  @Test
  void badFlagsOfSetattrNameTheFlag() throws Exception {
    Path f = Files.writeString(root.resolve("f"), "x");
    assertThat(run("setattr", "--bogus", f.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("unknown flag 'bogus'");
    assertThat(run("setattr", "--iunlink", f.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("mainline Linux does not have");
    assertThat(run("setattr", f.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no flag given");
    assertThat(run("setattr", "--immutable", "--~immutable", f.toString())).isEqualTo(2);
    assertThat(run("setattr", "--immutable", root.resolve("missing").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void showattrPrintsLettersOrSaysWhyNot() throws Exception {
    Path f = Files.writeString(root.resolve("f"), "x");
    int status = run("showattr", f.toString(), root.resolve("missing").toString());
    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).contains("missing does not exist");
    // tmpfs has no inode flags: then the reason is given instead of letters.
    assertThat(out.toString() + err.toString()).contains(f.toString());
  }

  @Test
  void vduRefusesMissingPathsAndBadBlocksizes() {
    assertThat(run("vdu", root.resolve("missing").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("missing does not exist");
    assertThat(run("vdu", "--blocksize", "0", root.toString())).isEqualTo(2);
    assertThat(run("vdu", "--shared", root.toString())).isZero();
    assertThat(out.toString()).contains("\t" + root);
  }

  @Test
  void vhashifyChecksItsArguments() {
    assertThat(run("vhashify", "--min-size", "-1", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("--min-size -1");
    assertThat(run("vhashify", "--threads", "0", "x")).isEqualTo(2);
    assertThat(run("vhashify", "no-such-guest")).isNotZero();
    assertThat(err.toString()).contains("no-such-guest");
  }

  @Test
  void unionActionsAreChecked() {
    assertThat(run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001")).isZero();
    assertThat(run("vserver", "vs01", "union", "list")).isZero();
    assertThat(out.toString()).contains("own tree (no union)");
    assertThat(run("vserver", "vs01", "union", "frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown action 'frobnicate'");
    assertThat(run("vserver", "vs01", "union", "add")).isEqualTo(2);
    assertThat(err.toString()).contains("usage: union add");
  }

  @Test
  void setattrSetsAndClearsTheImmutableFlagThatShowattrShows() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(gaiola.host.Privileges.isRoot(), "setting inode flags needs root");
    Path f = Files.writeString(root.resolve("flagged"), "x");
    try {
      assertThat(run("setattr", "--immutable", "--nodump", f.toString())).isZero();
      assertThat(run("showattr", f.toString())).isZero();
      assertThat(out.toString()).startsWith("----i-d").contains(f.toString());
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Files.writeString(f, "y"))).isNotNull();
    } finally {
      run("setattr", "--~immutable", "--~nodump", f.toString());
    }
    assertThat(run("showattr", f.toString())).isZero();
    assertThat(out.toString()).startsWith("-------");
    Files.writeString(f, "y");
  }
}
