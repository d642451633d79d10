package gaiola.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code template …}, {@code build -m template|clone} and {@code vserver-new} through the command line. */
class TemplateCliTest extends CommandLineTest {
  @TempDir Path elsewhere;

  private long entries(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void aSkeletonGoesIntoATemplateAndBackOutAsANewGuest() throws Exception {
    assertThat(run("vserver", "src", "build", "-m", "skeleton", "--context", "5190", "--hostname", "src")).isZero();
    Files.writeString(root.resolve("vservers/src/etc/motd"), "from the template\n");
    assertThat(run("template", "create", "base", "--from", "src", "--compression", "xz")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("created template 'base'");
    assertThat(err.toString()).contains("template base:").contains("files");
    assertThat(root.resolve("var/lib/gaiola/templates/base.tar.xz")).isRegularFile();
    assertThat(run("template", "list")).isZero();
    assertThat(out.toString()).contains("base").contains("xz").contains("gaiola");
    assertThat(run("template", "list", "--json")).isZero();
    assertThat(out.toString()).contains("\"name\" : \"base\"").contains("\"compression\" : \"xz\"");

    assertThat(run("vserver", "web", "build", "-m", "template", "--context", "5191", "--hostname", "web", "--", "-t", "base"))
        .as(err.toString()).isZero();
    assertThat(Files.readString(root.resolve("vservers/web/etc/motd"))).isEqualTo("from the template\n");
    assertThat(Files.readString(root.resolve("vservers/web/etc/hostname"))).isEqualTo("web\n");
    assertThat(Files.readString(root.resolve("vservers/web/etc/hosts"))).contains("127.0.1.1\tweb").doesNotContain("src");

    assertThat(run("vserver-new", "web2", "--context", "5192", "--hostname", "web2", "clone", "web")).as(err.toString()).isZero();
    assertThat(Files.readString(root.resolve("vservers/web2/etc/hostname"))).isEqualTo("web2\n");
    assertThat(Files.readString(root.resolve("vservers/web/etc/hostname"))).isEqualTo("web\n");
    assertThat(Files.readString(root.resolve("etc/vservers/web2/context")).strip()).isEqualTo("5192");

    assertThat(run("template", "delete", "base")).isZero();
    assertThat(entries(root.resolve("var/lib/gaiola/templates"))).isZero();
  }

  @Test
  void openvzCacheIsListedAndUsedButNeverDeleted() throws Exception {
    assertThat(run("vserver", "src", "build", "-m", "skeleton", "--context", "5190")).isZero();
    assertThat(run("template", "create", "x", "--from", "src", "--compression", "gz")).isZero();
    Path cache = Files.createDirectories(root.resolve("vz/template/cache"));
    Files.move(root.resolve("var/lib/gaiola/templates/x.tar.gz"), cache.resolve("centos-6-x86_64.tar.gz"));
    assertThat(run("template", "list")).isZero();
    assertThat(out.toString()).contains("centos-6-x86_64").contains("openvz");
    assertThat(run("vserver", "ct", "build", "-m", "template", "--context", "5193", "--", "-t", "centos-6-x86_64")).isZero();
    assertThat(run("template", "delete", "centos-6-x86_64")).isEqualTo(2);
    assertThat(err.toString()).contains("OpenVZ's cache");
    assertThat(cache.resolve("centos-6-x86_64.tar.gz")).isRegularFile();
  }

  @Test
  void aBrokenArchiveIsNotImportedAndAMissingTemplateBuildsNothing() throws Exception {
    Path junk = Files.writeString(elsewhere.resolve("junk.tar.gz"), "not an archive");
    assertThat(run("template", "import", junk.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("junk.tar.gz").contains("neither a tar archive").contains("nothing was imported");
    assertThat(entries(root.resolve("var/lib/gaiola/templates"))).isZero();

    assertThat(run("vserver", "g", "build", "-m", "template", "--", "-t", "nosuch")).isEqualTo(1);
    assertThat(err.toString()).contains("template 'nosuch'").contains("template list");
    assertThat(run("vserver", "g", "build", "-m", "template", "--", "-t", junk.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("neither a tar archive");
    assertThat(entries(root.resolve("etc/vservers"))).isZero();
    assertThat(entries(root.resolve("vservers"))).isZero();
  }

  @Test
  void aHostileTemplateLeavesNoGuest() throws Exception {
    Path canary = Files.writeString(elsewhere.resolve("canary"), "untouched");
    Path evil = elsewhere.resolve("evil.tar");
    Process p = new ProcessBuilder("tar", "-cPf", evil.toString(), canary.toString()).start();
    assertThat(p.waitFor()).isZero();
    assertThat(run("vserver", "g", "build", "-m", "template", "--context", "5194", "--", "-t", evil.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(canary.toString()).contains("absolute path").contains("nothing was left behind");
    assertThat(Files.readString(canary)).isEqualTo("untouched");
    assertThat(entries(root.resolve("etc/vservers"))).isZero();
    assertThat(entries(root.resolve("vservers"))).isZero();
  }

  @Test
  void badArgumentsAreNamed() throws Exception {
    assertThat(run("vserver", "g", "build", "-m", "template")).isEqualTo(2);
    assertThat(err.toString()).contains("-m template needs -t");
    assertThat(run("vserver", "g", "build", "-m", "template", "--", "-x")).isEqualTo(2);
    assertThat(err.toString()).contains("'-x'");
    assertThat(run("vserver", "g", "build", "-m", "clone")).isEqualTo(2);
    assertThat(err.toString()).contains("--source");
    assertThat(run("vserver", "g", "build", "-m", "clone", "--", "--source", "ghost")).isEqualTo(1);
    assertThat(err.toString()).contains("'ghost' does not exist");
    assertThat(run("vserver-new", "g", "mirror", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("'mirror'");
    assertThat(run("vserver-new", "g", "template", "x", "--layered")).isEqualTo(2);
    assertThat(err.toString()).contains("--layered applies to clones only");
    assertThat(run("vserver-new", "g", "clone", "ghost", "--layered")).isEqualTo(1);
    assertThat(err.toString()).contains("'ghost' does not exist");
    assertThat(run("template", "create", "../x", "--from", "g")).isEqualTo(2);
    assertThat(err.toString()).contains("'../x'");
    assertThat(run("vserver", "s", "build", "-m", "skeleton", "--context", "5195")).isZero();
    assertThat(run("template", "create", "t", "--from", "s", "--compression", "lz4")).isEqualTo(2);
    assertThat(err.toString()).contains("'lz4'");
    assertThat(run("template", "delete", "never")).isEqualTo(1);
    assertThat(entries(root.resolve("var/lib/gaiola/templates"))).isZero();
  }
}
