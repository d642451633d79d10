package gaiola.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's apt sources in both formats, and what malformed or hostile files yield: nothing. */
class AptSourcesTest {
  @TempDir Path apt;

  @Test
  void deb822SourcesAsOnThisHost() throws Exception {
    Files.createDirectories(apt.resolve("sources.list.d"));
    Files.writeString(
        apt.resolve("sources.list.d/debian.sources"),
        """
        Types: deb
        # a comment inside
        URIs: http://deb.debian.org/debian
        Suites: bookworm bookworm-updates
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        URIs: http://deb.debian.org/debian-security
        Suites: bookworm-security
        Components: main
        """);
    var sources = AptSources.read(apt);
    assertThat(sources).hasSize(2);
    assertThat(sources.get(0).suites()).containsExactly("bookworm", "bookworm-updates");
    assertThat(AptSources.mirrorFor("bookworm", sources)).contains(URI.create("http://deb.debian.org/debian"));
    assertThat(AptSources.mirrorFor("bookworm-security", sources)).contains(URI.create("http://deb.debian.org/debian-security"));
    // Another suite: the main archive, never the security one.
    assertThat(AptSources.mirrorFor("trixie", sources)).contains(URI.create("http://deb.debian.org/debian"));
  }

  @Test
  void oneLineFormatWithOptionsAndComments() {
    var s =
        AptSources.parseOneLine(
            """
            # deb http://commented.example/debian bookworm main
            deb-src http://src.example/debian bookworm main
            deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main contrib # tail
            deb http://other.example/debian sid main
            """,
            "sources.list");
    assertThat(s).hasSize(2);
    assertThat(s.get(0).uri()).isEqualTo(URI.create("http://mirror.example/debian"));
    assertThat(s.get(0).components()).containsExactly("main", "contrib");
    assertThat(s.get(0).origin()).isEqualTo("sources.list:3");
    assertThat(AptSources.mirrorFor("sid", s)).contains(URI.create("http://other.example/debian"));
  }

  @Test
  void malformedOneLineEntriesAreSkipped() {
    var s =
        AptSources.parseOneLine(
            """
            deb
            deb http://only-uri.example/debian
            deb [arch=amd64 http://unclosed.example/debian bookworm main
            deb cdrom:[Debian GNU/Linux]/ bookworm main
            deb mirror+file:/etc/apt/mirrors.txt bookworm main
            deb http://h/debian?x=1 bookworm main
            deb http://h/debian ../../etc main
            deb "http://quoted.example/debian" bookworm main
            deb\tftp://ftp.example/debian\tbookworm\tmain
            """,
            "f");
    assertThat(s).extracting(AptSources.Source::uri).containsExactly(URI.create("ftp://ftp.example/debian"));
  }

  @Test
  void malformedDeb822ParagraphsAreSkipped() {
    var s =
        AptSources.parseDeb822(
            """
             continuation before any field
            Types: deb

            Types: deb-src
            URIs: http://src.example/debian
            Suites: bookworm

            Types: deb
            URIs: http://disabled.example/debian
            Suites: bookworm
            Enabled: no

            Types: deb
            URIs: http://nosuite.example/debian

            Types: deb
            no colon on this line
            URIs: http://nocolon.example/debian
            Suites: bookworm

            Types: deb deb-src
            URIs: cdrom:/x
             https://good.example/debian
            Suites:
             bookworm
            Components: main
            """,
            "f");
    assertThat(s).extracting(AptSources.Source::uri).containsExactly(URI.create("https://good.example/debian"));
    assertThat(s.get(0).suites()).containsExactly("bookworm");
  }

  @Test
  void onlyFilesAptWouldReadAreRead() throws Exception {
    Path d = Files.createDirectories(apt.resolve("sources.list.d"));
    Files.writeString(d.resolve("a.list.disabled-by-farm"), "deb http://disabled.example/debian bookworm main\n");
    Files.writeString(d.resolve("b.list.save"), "deb http://save.example/debian bookworm main\n");
    Files.writeString(d.resolve("c.list"), "deb http://c.example/debian bookworm main\n");
    Files.createDirectory(d.resolve("dir.list"));
    Files.createSymbolicLink(d.resolve("e.list"), Path.of("/dev/zero"));
    Files.write(d.resolve("f.list"), new byte[] {(byte) 0xff, (byte) 0xfe, 'd', 'e', 'b'});
    Files.writeString(d.resolve("g.list"), "deb http://big.example/debian bookworm main\n".repeat(30_000));
    Files.writeString(apt.resolve("sources.list"), "deb http://main.example/debian bookworm main\n");
    var sources = AptSources.read(apt);
    assertThat(sources).extracting(x -> x.uri().getHost()).containsExactly("main.example", "c.example");
  }

  @Test
  void noConfigurationNoMirror() throws Exception {
    assertThat(AptSources.read(apt)).isEmpty();
    assertThat(AptSources.mirrorFor("bookworm", List.of())).isEmpty();
    // Only a third-party repository: not a distribution's archive, so no guess.
    var s = AptSources.parseOneLine("deb https://deb.nodesource.com/node_20.x nodistro\n", "f");
    assertThat(AptSources.mirrorFor("bookworm", s)).isEmpty();
  }
}
