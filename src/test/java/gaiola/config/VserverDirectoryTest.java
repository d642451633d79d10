package gaiola.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VserverDirectoryTest {
  @TempDir Path tmp;
  HostLayout layout;
  Path dir;
  final List<String> notes = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    layout = new HostLayout(tmp);
    dir = Files.createDirectories(layout.configBase().resolve("vs01"));
  }

  /**
   * Removes the links before JUnit does, which warns about each one pointing out of the temp dir.
   */
  @AfterEach
  void removeLinks() throws IOException {
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : all.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  private void put(String rel, String content) throws IOException {
    Path f = dir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private GuestConfig read() throws InvalidInputException {
    return VserverDirectory.read(dir, layout, notes::add);
  }

  private static java.net.InetAddress ip(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }

  /** A directory as util-vserver's build writes it and an administrator then edits it. */
  @Test
  void loadsAHandWrittenUtilVserverDirectory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("vservers/vs01"));
    put("context", "40001\n");
    put("name", "vs01\n");
    Files.createSymbolicLink(dir.resolve("vdir"), root);
    Files.createSymbolicLink(dir.resolve("run"), Path.of("/var/run/vservers/vs01"));
    Files.createSymbolicLink(dir.resolve("cache"), Path.of("/var/cache/vservers/vs01"));
    put("uts/nodename", "web.example.org\n");
    put("uts/domainname", "example.org\n");
    put("uts/sysname", "Linux\n");
    put("interfaces/0/ip", "192.0.2.10\n");
    put("interfaces/0/prefix", "24\n");
    put("interfaces/0/dev", "eth0\n");
    put("interfaces/0/name", "web\n");
    put("interfaces/lback", "127.0.0.1\n");
    put("apps/init/style", "plain\n");
    put("apps/init/mark", "default\n");
    put("apps/init/killseq", "15\n10\n9\n");
    put("apps/init/environment", "LANG=C\n");
    put("apps/vunify/refserver.1", "");
    put("bcapabilities", "# more than the default\nCAP_NET_ADMIN\n\n!CAP_NET_RAW\n");
    put(
        "fstab",
        "none\t/proc\t\tproc\tdefaults\t\t0 0\n"
            + "none\t/tmp\t\ttmpfs\tsize=16m,mode=1777\t0 0\n"
            + "none\t/dev/pts\tdevpts\tgid=5,mode=620\t\t0 0\n");
    put("flags", "lock\nnproc\n");
    put("cpuset/name", "vs01\n");
    put("rlimits/nproc.hard", "200\n");
    put("scripts/pre-start", "#!/bin/sh\n");
    put("README", "my notes\n");

    GuestConfig c = read();

    assertThat(c)
        .isEqualTo(
            new GuestConfig(
                new GuestName("vs01"),
                new ContextId(40001),
                root,
                new Uts("web.example.org", Optional.of("example.org")),
                new InitConfig(
                    InitStyle.PLAIN,
                    "3",
                    "6",
                    Optional.of("default"),
                    List.of(),
                    List.of(),
                    KillSequence.parse("15 10 9")),
                Fstab.defaultEntries(),
                List.of(
                    new Interface(
                        "0",
                        Optional.of("web"),
                        Optional.of("eth0"),
                        ip("192.0.2.10"),
                        24,
                        false,
                        false)),
                List.of(
                    new CapabilityChange("CAP_NET_ADMIN", true),
                    new CapabilityChange("CAP_NET_RAW", false))));
    assertThat(notes)
        .containsExactlyInAnyOrder(
            "README: ignored (not a util-vserver setting Gaiola knows)",
            "apps/init/environment: ignored (util-vserver setting Gaiola does not apply yet)",
            "cache: ignored (Gaiola keeps no per-guest cache)",
            "cpuset: ignored (util-vserver setting Gaiola does not apply yet)",
            "flags: ignored (util-vserver setting Gaiola does not apply yet)",
            "interfaces/lback: ignored (util-vserver setting Gaiola does not apply)",
            "rlimits: ignored (util-vserver setting Gaiola does not apply yet)",
            "run: ignored (Gaiola keeps run state under /run/gaiola)",
            "uts/sysname: ignored (Gaiola sets only nodename and domainname)");
  }

  @Test
  void onlyContextIsRequiredEverythingElseHasDefaults() throws Exception {
    put("context", "40000");
    GuestConfig c = read();
    assertThat(c.name()).isEqualTo(new GuestName("vs01"));
    assertThat(c.vdir()).isEqualTo(tmp.resolve("vservers/vs01"));
    assertThat(c.uts()).isEqualTo(new Uts("vs01", Optional.empty()));
    assertThat(c.init()).isEqualTo(InitConfig.DEFAULT);
    assertThat(c.fstab()).isEmpty();
    assertThat(c.interfaces()).isEmpty();
    assertThat(c.bcapabilities()).isEmpty();
    assertThat(notes).isEmpty();
  }

  @Test
  void runlevelFallbacksAndCommandOverrides() throws Exception {
    put("context", "40000");
    put("apps/init/runlevel", "2");
    put("apps/init/cmd.start", "/bin/sh\n-c\necho hello world\n\n");
    put("apps/init/cmd.stop", "/sbin/halt\n");
    InitConfig i = read().init();
    assertThat(i.runlevelStart()).isEqualTo("2");
    assertThat(i.runlevelStop()).isEqualTo("6");
    assertThat(i.cmdStart()).containsExactly("/bin/sh", "-c", "echo hello world");
    assertThat(i.cmdStop()).containsExactly("/sbin/halt");
    put("apps/init/runlevel.start", "4");
    put("apps/init/runlevel.stop", "0");
    assertThat(read().init().runlevelStart()).isEqualTo("4");
    assertThat(read().init().runlevelStop()).isEqualTo("0");
  }

  @Test
  void nameFileDifferentFromDirectoryIsUsedAndNoted() throws Exception {
    put("context", "40000");
    put("name", "web_1");
    GuestConfig c = read();
    assertThat(c.name()).isEqualTo(new GuestName("web_1"));
    assertThat(c.uts().nodename()).isEqualTo("web-1");
    assertThat(notes).containsExactly("name: 'web_1' differs from the directory name 'vs01'");
  }

  @Test
  void legacyHostnameFilesAndExtraLinesAreReadWithNotes() throws Exception {
    put("context", "40000\n# set by hand\n");
    put("hostname", "old.example\n");
    assertThat(read().uts().nodename()).isEqualTo("old.example");
    assertThat(notes)
        .containsExactly(
            "context:2: ignored (only the first line of a value file is read)",
            "hostname: read as uts/nodename (its legacy name)");
  }

  @Test
  void writeThenReadIsIdentity() throws Exception {
    GuestConfig full =
        new GuestConfig(
            new GuestName("vs01"),
            new ContextId(1001),
            tmp.resolve("elsewhere/vs01"),
            new Uts("vs01.example.org", Optional.of("example.org")),
            new InitConfig(
                InitStyle.GENTOO,
                "default",
                "0",
                Optional.of("web"),
                List.of("/sbin/openrc", "default"),
                List.of("/sbin/openrc", "shutdown"),
                KillSequence.parse("2 1 15 5 9")),
            List.of(new FstabEntry("/srv/data dir", "/mnt/data", "none", List.of("bind", "ro"))),
            List.of(
                InterfaceSpec.parseSpec("web=eth0:192.0.2.10/24", "0"),
                InterfaceSpec.parseSpec("nodev:[2001:db8::10]/64", "1")),
            List.of(
                new CapabilityChange("CAP_SYS_TIME", true),
                new CapabilityChange("CAP_NET_RAW", false)));
    VserverDirectory.write(dir, full);
    assertThat(read()).isEqualTo(full);
    assertThat(Files.isSymbolicLink(dir.resolve("vdir"))).isTrue();
    assertThat(dir.resolve("apps/init/killseq")).hasContent("2\n1\n15\n5\n9");

    // Writing the defaults over it removes every file that would contradict them.
    GuestConfig plain =
        new GuestConfig(
            new GuestName("vs01"),
            new ContextId(1001),
            tmp.resolve("vservers/vs01"),
            new Uts("vs01", Optional.empty()),
            InitConfig.DEFAULT,
            Fstab.defaultEntries(),
            List.of(),
            List.of());
    put("apps/init/runlevel", "5");
    put("domainname", "legacy.example");
    VserverDirectory.write(dir, plain);
    assertThat(read()).isEqualTo(plain);
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()))
          .containsExactlyInAnyOrder("context", "name", "uts/nodename", "apps/init/style", "fstab");
    }
    assertThat(notes).isEmpty();
  }

  @Test
  void writeRefusesToReplaceARealVdirDirectoryByALink() throws Exception {
    Files.createDirectories(dir.resolve("vdir/etc"));
    put("context", "40000");
    GuestConfig c = read();
    assertThat(c.vdir()).isEqualTo(dir.resolve("vdir"));
    VserverDirectory.write(dir, c);
    assertThat(dir.resolve("vdir/etc")).isDirectory();
    GuestConfig moved =
        new GuestConfig(
            c.name(),
            c.context(),
            tmp.resolve("x"),
            c.uts(),
            c.init(),
            c.fstab(),
            c.interfaces(),
            c.bcapabilities());
    assertThatThrownBy(() -> VserverDirectory.write(dir, moved)).isInstanceOf(IOException.class);
    assertThat(dir.resolve("vdir/etc")).isDirectory();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          context                  | abc                  | vs01/context: context id 'abc' is not a number
          context                  | 99999                | vs01/context: context id 99999 is out of range
          context                  | 1                    | vs01/context: context id 1 is out of range
          name                     | bad name             | vs01/name: guest name 'bad name' is not valid
          uts/nodename             | bad_host             | vs01/uts/nodename: value 'bad_host' is not a valid host name
          uts/domainname           | -example.org         | vs01/uts/domainname: value '-example.org' is not a valid host name
          apps/init/style          | upstart              | vs01/apps/init/style: init style 'upstart' is not known
          apps/init/runlevel       | two words            | vs01/apps/init/runlevel: 'two words' is not a single word
          apps/init/runlevel.stop  | 6;reboot             | vs01/apps/init/runlevel.stop: '6;reboot' is not a single word
          apps/init/mark           | a/b                  | vs01/apps/init/mark: 'a/b' is not a single word
          apps/init/killseq        | 15 x 9               | vs01/apps/init/killseq: kill sequence '15 x 9' has 'x', not a number
          apps/init/killseq        | 99                   | vs01/apps/init/killseq: kill sequence '99' has signal 99
          bcapabilities            | CAP_NET_RAW\\nCAP_FOO | vs01/bcapabilities:2: capability 'CAP_FOO' is not known
          fstab                    | none /x nfs defaults | vs01/fstab:1: mount type 'nfs' is not supported
          fstab                    | /a ../../etc none bind | vs01/fstab:1: target '../../etc' is not an absolute path
          interfaces/0/ip          | 192.0.2.300          | vs01/interfaces/0/ip: '192.0.2.300' is not an IPv4 or IPv6 address
          """)
  void malformedValuesNameTheFileAndTheText(String file, String value, String message)
      throws Exception {
    put("context", "40000");
    put("interfaces/0/nodev", "");
    put("interfaces/0/ip", "192.0.2.1");
    put(file, value.replace("\\n", "\n") + "\n");
    assertThatThrownBy(this::read)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(((InvalidInputException) e).hint()).isPresent());
  }

  @Test
  void missingContextIsAnError() {
    assertThatThrownBy(this::read)
        .hasMessage("vs01/context: is missing")
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).hint())
                    .get()
                    .asString()
                    .contains("2 to 49151"));
  }

  @Test
  void contextThatIsADirectoryIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("context"));
    assertThatThrownBy(this::read).hasMessage("vs01/context: is a directory, not a file");
  }

  @Test
  @Timeout(5)
  void hugeContextIsRefusedWithoutReadingIt() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("context").toFile(), "rw")) {
      f.setLength(10L * 1024 * 1024);
    }
    long t0 = System.nanoTime();
    assertThatThrownBy(this::read)
        .hasMessage("vs01/context: is 10485760 bytes, larger than the 64 KiB a setting may have");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void binaryContentIsRefused() throws Exception {
    Files.write(dir.resolve("context"), new byte[] {'4', '0', 0, '0', '1'});
    assertThatThrownBy(this::read)
        .hasMessage("vs01/context: holds binary data (it contains a NUL byte)");
    Files.write(dir.resolve("context"), new byte[] {'4', (byte) 0xff, (byte) 0xfe});
    assertThatThrownBy(this::read)
        .hasMessage("vs01/context: holds binary data (it is not UTF-8 text)");
    Files.write(dir.resolve("context"), new byte[] {'4', 0x1b, '[', '2', 'J'});
    assertThatThrownBy(this::read)
        .hasMessage("vs01/context: holds binary data (it contains control character \\x1b)");
  }

  @Test
  void aDanglingLinkInASubdirectoryIsReportedAndAFileWhereADirectoryBelongsHoldsNothing() throws Exception {
    put("context", "40000");
    Files.createDirectories(dir.resolve("uts"));
    Files.createSymbolicLink(dir.resolve("uts/domainname"), Path.of("/nonexistent/domain"));
    assertThatThrownBy(this::read)
        .hasMessage("vs01/uts/domainname: is a symbolic link to '/nonexistent/domain', which does not exist");
    Files.delete(dir.resolve("uts/domainname"));
    // A file where a directory of settings belongs holds none of them, as util-vserver reads it.
    Files.writeString(dir.resolve("apps"), "not a directory\n");
    assertThat(read().init().style()).isEqualTo(InitStyle.SYSV);
  }

  @Test
  void devicesAndDanglingLinksAreNotValueFiles() throws Exception {
    Files.createSymbolicLink(dir.resolve("context"), Path.of("/dev/zero"));
    assertThatThrownBy(this::read).hasMessage("vs01/context: is not a regular file");
    Files.delete(dir.resolve("context"));
    put("context", "40000");
    Files.createSymbolicLink(dir.resolve("name"), Path.of("/nonexistent/name"));
    assertThatThrownBy(this::read)
        .hasMessage("vs01/name: is a symbolic link to '/nonexistent/name', which does not exist");
  }

  @Test
  void overlongValueIsRefusedWithAShortenedQuote() throws Exception {
    put("context", "4".repeat(5000));
    assertThatThrownBy(this::read)
        .hasMessageStartingWith(
            "vs01/context: value '" + "4".repeat(60) + "...' is longer than 256 characters");
  }

  @Test
  void vdirThatLeadsToTheHostRootIsRefused() throws Exception {
    put("context", "40000");
    Files.createSymbolicLink(dir.resolve("vdir"), Path.of("/"));
    assertThatThrownBy(this::read)
        .hasMessage("vs01/vdir: leads to '/', the host's root directory")
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).hint())
                    .get()
                    .asString()
                    .contains("/vservers/vs01"));
    Files.delete(dir.resolve("vdir"));
    Files.createSymbolicLink(dir.resolve("vdir"), Path.of("../../../../../../../../../../.."));
    assertThatThrownBy(this::read).hasMessageContaining("the host's root directory");
    Files.delete(dir.resolve("vdir"));
    Files.createSymbolicLink(dir.resolve("vdir"), tmp);
    assertThatThrownBy(this::read).hasMessageContaining("the host's root directory");
    Files.delete(dir.resolve("vdir"));
    Files.writeString(dir.resolve("vdir"), "/vservers/vs01\n");
    assertThatThrownBy(this::read)
        .hasMessage("vs01/vdir: is a file, not a link to the guest's root directory");
  }

  @Test
  void relativeVdirLinkIsRelativeToTheConfigDirectory() throws Exception {
    put("context", "40000");
    Files.createSymbolicLink(dir.resolve("vdir"), Path.of("../../../vservers/vs01"));
    assertThat(read().vdir()).isEqualTo(tmp.resolve("vservers/vs01"));
  }

  @Test
  void illegalDirectoryNameNeedsANameFile() throws Exception {
    dir = Files.createDirectories(layout.configBase().resolve("my guest"));
    put("context", "40000");
    assertThatThrownBy(this::read)
        .hasMessage("my guest: directory name 'my guest' is not a valid guest name");
    put("name", "myguest");
    assertThat(read().name()).isEqualTo(new GuestName("myguest"));
  }
}
