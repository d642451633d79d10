package gaiola.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gaiola.config.ContextId;
import gaiola.config.Fstab;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.config.InitConfig;
import gaiola.config.InterfaceSpec;
import gaiola.config.NetworkSettings;
import gaiola.config.Uts;
import gaiola.config.VserverDirectory;
import gaiola.host.Privileges;
import gaiola.host.SystemProcessRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vserver NAME interface}, {@code vserver NAME net} on a stopped guest, and {@code check}'s
 * command line, with a private root. Nothing here touches the host's network: the only host device
 * named is {@code lo}, which every host has, and only ever read.
 */
class NetCliTest {
  @TempDir Path root;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  Path cfg;

  int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CliContext context =
        new CliContext(new PrintWriter(out, true), new PrintWriter(err, true),
            Map.of("GAIOLA_ROOT", root.toString()), new SystemProcessRunner());
    return Main.run(context, args);
  }

  @BeforeEach
  void buildGuest() {
    assertThat(run("vserver", "vs01", "build", "-m", "skeleton", "--context", "1001")).isZero();
    cfg = root.resolve("etc/vservers/vs01");
  }

  @AfterEach
  void removeLinks() throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The configuration files, with their contents, to prove a refused command changed nothing. */
  Map<String, String> snapshot() throws Exception {
    Map<String, String> m = new java.util.TreeMap<>();
    try (Stream<Path> all = Files.walk(cfg)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        m.put(cfg.relativize(p).toString(), Files.readString(p));
      }
    }
    return m;
  }

  JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  void oneLineError(int status) {
    assertThat(status).as(err.toString()).isNotZero();
    assertThat(err.toString().strip().lines().count()).as(err.toString()).isEqualTo(1);
    assertThat(err.toString()).startsWith("gaiola: ");
  }

  @Test
  void addWritesTheEntryWithItsOptionsAndListShowsIt() throws Exception {
    assertThat(
            run("vserver", "vs01", "interface", "add", "nodev:192.0.2.5", "--gateway", "192.0.2.1", "--mtu", "1400",
                "--mac", "02:AA:00:00:00:01"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).startsWith("added interface 0: ");
    assertThat(cfg.resolve("interfaces/0/ip")).hasContent("192.0.2.5");
    assertThat(cfg.resolve("interfaces/0/nodev")).exists();
    assertThat(cfg.resolve("interfaces/0/gateway")).hasContent("192.0.2.1");
    assertThat(cfg.resolve("interfaces/0/mtu")).hasContent("1400");
    assertThat(cfg.resolve("interfaces/0/mac")).hasContent("02:aa:00:00:00:01");
    assertThat(run("vserver", "vs01", "interface", "add", "web=lo:[2001:db8::5]/64")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("added interface 1: ");
    assertThat(cfg.resolve("interfaces/1/name")).hasContent("web");
    assertThat(cfg.resolve("interfaces/1/dev")).hasContent("lo");

    assertThat(run("vserver", "vs01", "interface", "list")).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("INDEX");
    assertThat(lines.get(1))
        .startsWith("0 ")
        .contains("192.0.2.5")
        .contains("gateway 192.0.2.1")
        .contains("mtu 1400")
        .contains("mac 02:aa:00:00:00:01");
    assertThat(lines.get(2)).startsWith("1 ").contains("web").contains("2001:db8::5");

    assertThat(run("vserver", "vs01", "interface", "list", "--json")).isZero();
    JsonNode j = json();
    assertThat(j.size()).isEqualTo(2);
    assertThat(j.get(0).get("ip").asText()).isEqualTo("192.0.2.5");
    assertThat(j.get(0).get("prefix").asInt()).isEqualTo(32);
    assertThat(j.get(0).get("nodev").asBoolean()).isTrue();
    assertThat(j.get(0).get("gateway").asText()).isEqualTo("192.0.2.1");
    assertThat(j.get(0).get("mtu").asInt()).isEqualTo(1400);
    assertThat(j.get(1).get("name").asText()).isEqualTo("web");
    assertThat(j.get(1).get("dev").asText()).isEqualTo("lo");
    assertThat(j.get(1).get("prefix").asInt()).isEqualTo(64);
  }

  @Test
  void aGuestWithoutInterfacesListsOnlyTheHeader() throws Exception {
    assertThat(run("vserver", "vs01", "interface", "list")).isZero();
    assertThat(out.toString().lines().toList()).hasSize(1);
    assertThat(run("vserver", "vs01", "interface", "list", "--json")).isZero();
    assertThat(json().isArray()).isTrue();
    assertThat(json().size()).isZero();
  }

  @Test
  void badAddsGetOneLineNamingTheValueAndChangeNothing() throws Exception {
    assertThat(run("vserver", "vs01", "interface", "add", "nodev:192.0.2.5")).isZero();
    Map<String, String> before = snapshot();
    String[][] cases = {
      {"missing device", "vmbr77", "add", "vmbr77:192.0.2.9/24"},
      {"slash before the device", "'../x:192.0.2.9/24'", "add", "../x:192.0.2.9/24"},
      {"device name too long", "'verylongdevname16'", "add", "verylongdevname16:192.0.2.9/24"},
      {"name with a blank", "'a b'", "add", "a b=nodev:192.0.2.9"},
      {"not an address", "192.0.2.300", "add", "nodev:192.0.2.300"},
      {"duplicate address", "192.0.2.5", "add", "nodev:192.0.2.5"},
      {"gateway of another family", "2001:db8::1", "add", "nodev:192.0.2.9", "--gateway", "2001:db8::1"},
      {"gateway a host name", "router.example.org", "add", "nodev:192.0.2.9", "--gateway", "router.example.org"},
      {"gateway is itself", "192.0.2.9", "add", "nodev:192.0.2.9", "--gateway", "192.0.2.9"},
      {"mtu too small", "'67'", "add", "nodev:192.0.2.9", "--mtu", "67"},
      {"mtu not a number", "'9k'", "add", "nodev:192.0.2.9", "--mtu", "9k"},
      {"ipv6 mtu below 1280", "'1279'", "add", "nodev:2001:db8::9", "--mtu", "1279"},
      {"multicast mac", "01:00:5e:00:00:01", "add", "nodev:192.0.2.9", "--mac", "01:00:5e:00:00:01"},
      {"mac with junk", "02:00:00:00:00:01;reboot", "add", "nodev:192.0.2.9", "--mac", "02:00:00:00:00:01;reboot"},
      {"no spec", "expected 1 argument, got 0", "add"},
      {"two specs", "expected 1 argument, got 2", "add", "nodev:192.0.2.9", "nodev:192.0.2.10"},
      {"unknown action", "'frob'", "frob"},
      {"list with argument", "expected 0 arguments, got 1", "list", "x"},
    };
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of("vserver", "vs01", "interface"));
      args.addAll(Arrays.asList(c).subList(2, c.length));
      int status = run(args.toArray(String[]::new));
      oneLineError(status);
      assertThat(err.toString()).as(c[0]).contains(c[1]);
      assertThat(snapshot()).as(c[0]).isEqualTo(before);
    }
  }

  @Test
  void removeByIndexNameOrAddress() throws Exception {
    run("vserver", "vs01", "interface", "add", "nodev:192.0.2.5");
    run("vserver", "vs01", "interface", "add", "web=nodev:192.0.2.6");
    run("vserver", "vs01", "interface", "add", "nodev:2001:db8::7");
    assertThat(run("vserver", "vs01", "interface", "remove", "web")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("removed interface 1: ");
    assertThat(cfg.resolve("interfaces/1")).doesNotExist();
    assertThat(run("vserver", "vs01", "interface", "remove", "2001:db8::7")).isZero();
    assertThat(cfg.resolve("interfaces/2")).doesNotExist();
    // The freed index is taken again.
    assertThat(run("vserver", "vs01", "interface", "add", "nodev:192.0.2.8")).isZero();
    assertThat(out.toString()).startsWith("added interface 1: ");
    assertThat(run("vserver", "vs01", "interface", "remove", "0")).isZero();
    assertThat(cfg.resolve("interfaces/0")).doesNotExist();
    assertThat(cfg.resolve("interfaces/1/ip")).hasContent("192.0.2.8");
  }

  @Test
  void removeOfNothingOrOfAnAmbiguousKeyIsRefused() throws Exception {
    // Entry 0 is named like entry 1's index: "1" names two entries.
    run("vserver", "vs01", "interface", "add", "1=nodev:192.0.2.5");
    run("vserver", "vs01", "interface", "add", "web=nodev:192.0.2.6");
    Map<String, String> before = snapshot();
    oneLineError(run("vserver", "vs01", "interface", "remove", "nosuch"));
    assertThat(err.toString()).contains("'nosuch'").contains("interface list");
    oneLineError(run("vserver", "vs01", "interface", "remove", "1"));
    assertThat(err.toString()).contains("names 2 interfaces");
    oneLineError(run("vserver", "vs01", "interface", "remove", "../../context"));
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aRunningGuestsInterfacesAreNotChanged() throws Exception {
    run("vserver", "vs01", "interface", "add", "nodev:192.0.2.5");
    Map<String, String> before = snapshot();
    // This test's own process stands in for the guest's init: the record matches it exactly.
    long pid = ProcessHandle.current().pid();
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String ticks = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    Path record = root.resolve("run/gaiola/guests/vs01.json");
    Files.createDirectories(record.getParent());
    Files.writeString(
        record,
        "{\"initPid\":" + pid + ",\"initStartTicks\":" + ticks + ",\"startedAtMillis\":0,\"cgroupsPath\":\"x\"}");
    try {
      assertThat(run("vserver", "vs01", "running")).as(err.toString()).isZero();
      oneLineError(run("vserver", "vs01", "interface", "add", "nodev:192.0.2.6"));
      assertThat(err.toString()).contains("running").contains("stop");
      oneLineError(run("vserver", "vs01", "interface", "remove", "0"));
      assertThat(err.toString()).contains("running");
      // Listing reads the configuration only.
      assertThat(run("vserver", "vs01", "interface", "list")).isZero();
      assertThat(snapshot()).isEqualTo(before);
    } finally {
      Files.delete(record);
    }
  }

  @Test
  void netOfAStoppedGuestShowsThePlannedLinks() throws Exception {
    run("vserver", "vs01", "interface", "add", "nodev:192.0.2.5");
    run("vserver", "vs01", "interface", "add", "nodev:2001:db8::5/64");
    run("vserver", "vs01", "interface", "add", "web=lo:192.0.2.6/24", "--gateway", "192.0.2.1");
    assertThat(run("vserver", "vs01", "net")).as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.getFirst()).startsWith("LINK").contains("MODE").contains("HOST END");
    String prefix = gaiola.network.HostLinkNames.prefix(new HostLayout(root));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l.split("\\s+"))
                    .containsExactly("eth0", "routed", "-", prefix + "1001-0", "stopped", "192.0.2.5/32", "2001:db8::5/128"))
        .anySatisfy(
            l -> assertThat(l.split("\\s+")).containsExactly("web", "macvlan", "lo", "-", "stopped", "192.0.2.6/24"));

    assertThat(run("vserver", "vs01", "net", "--json")).isZero();
    JsonNode j = json();
    assertThat(j.get("name").asText()).isEqualTo("vs01");
    assertThat(j.get("running").asBoolean()).isFalse();
    assertThat(j.get("stack").asText()).isEqualTo("private");
    assertThat(j.get("problem").isNull()).isTrue();
    assertThat(j.get("links").size()).isEqualTo(2);
    JsonNode web = j.get("links").get(1);
    assertThat(web.get("mode").asText()).isEqualTo("macvlan");
    assertThat(web.get("hostDevice").asText()).isEqualTo("lo");
    assertThat(web.get("gateways").get(0).asText()).isEqualTo("192.0.2.1");
    assertThat(j.get("links").get(0).get("hostEnd").asText()).isEqualTo(prefix + "1001-0");
  }

  @Test
  void netOfAGuestWithoutInterfacesIsLoopbackOnly() throws Exception {
    assertThat(run("vserver", "vs01", "net")).isZero();
    assertThat(out.toString()).contains("vs01 has no interfaces: loopback only");
  }

  GuestConfig config(List<gaiola.config.Interface> interfaces, NetworkSettings net) {
    return new GuestConfig(
        new GuestName("vs02"), new ContextId(1002), root.resolve("vservers/vs02"), new Uts("vs02", Optional.empty()),
        InitConfig.DEFAULT, Fstab.defaultEntries(), interfaces, List.of(), net);
  }

  @Test
  void netNamesAMissingDeviceInsteadOfFailing() throws Exception {
    Files.createDirectories(root.resolve("vservers/vs02"));
    VserverDirectory.write(
        root.resolve("etc/vservers/vs02"),
        config(List.of(InterfaceSpec.parseSpec("gaiolanodev9:192.0.2.9/24", "0")), NetworkSettings.PRIVATE));
    assertThat(run("vserver", "vs02", "net")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("cannot plan the links now").contains("'gaiolanodev9'");
    assertThat(run("vserver", "vs02", "net", "--json")).isZero();
    assertThat(json().get("problem").asText()).contains("gaiolanodev9");
  }

  @Test
  void netOfAGuestOnTheHostStackSaysItIsNotIsolated() throws Exception {
    Files.createDirectories(root.resolve("vservers/vs02"));
    VserverDirectory.write(
        root.resolve("etc/vservers/vs02"), config(List.of(), NetworkSettings.PRIVATE.withHostStack(true)));
    assertThat(run("vserver", "vs02", "net")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("shares the host's network stack").contains("not isolated");
    assertThat(run("vserver", "vs02", "net", "--json")).isZero();
    assertThat(json().get("stack").asText()).isEqualTo("host");
    // And its interfaces cannot be added.
    oneLineError(run("vserver", "vs02", "interface", "add", "nodev:192.0.2.5"));
    assertThat(err.toString()).contains("host");
    assertThat(root.resolve("etc/vservers/vs02/interfaces")).doesNotExist();
  }

  @Test
  void buildWritesNetworkSettingsAndRefusesBadOnes() throws Exception {
    assertThat(
            run("vserver", "vs03", "build", "-m", "skeleton", "--context", "1003", "--nameserver", "192.0.2.53",
                "--nameserver", "2001:db8::53", "--searchdomain", "example.org"))
        .as(err.toString())
        .isZero();
    Path c3 = root.resolve("etc/vservers/vs03");
    assertThat(c3.resolve("nameserver")).hasContent("192.0.2.53\n2001:db8::53");
    assertThat(c3.resolve("searchdomain")).hasContent("example.org");
    assertThat(run("vserver", "vs04", "build", "-m", "skeleton", "--context", "1004", "--net", "host")).isZero();
    assertThat(root.resolve("etc/vservers/vs04/nonetns")).exists();
    String[][] cases = {
      {"'bridge'", "vserver", "vs05", "build", "-m", "skeleton", "--net", "bridge"},
      {"cannot have interfaces", "vserver", "vs05", "build", "-m", "skeleton", "--net", "host", "--interface",
          "nodev:192.0.2.5"},
      {"inherit", "vserver", "vs05", "build", "-m", "skeleton", "--nameserver", "inherit", "--nameserver", "192.0.2.53"},
      {"'ns.example.org'", "vserver", "vs05", "build", "-m", "skeleton", "--nameserver", "ns.example.org"},
      {"vmbr77", "vserver", "vs05", "build", "-m", "skeleton", "--interface", "vmbr77:192.0.2.5/24"},
    };
    for (String[] c : cases) {
      oneLineError(run(Arrays.copyOfRange(c, 1, c.length)));
      assertThat(err.toString()).as(c[0]).contains(c[0]);
    }
    assertThat(root.resolve("etc/vservers/vs05")).doesNotExist();
    assertThat(root.resolve("vservers/vs05")).doesNotExist();
  }

  @Test
  void checkRefusesUnknownArgumentsAndHelps() {
    assertThat(run("check", "--bogus")).isEqualTo(2);
    assertThat(err.toString()).contains("--bogus");
    assertThat(run("check", "extra")).isEqualTo(2);
    assertThat(err.toString()).contains("extra");
    assertThat(run("check", "--help")).isZero();
    assertThat(out.toString()).contains("wildcard").contains("--json");
  }

  @Test
  void checkWithoutRunningGuestsFindsNothingOrNeedsRoot() throws Exception {
    int status = run("check");
    if (!Privileges.isRoot()) {
      oneLineError(status);
      assertThat(err.toString()).contains("needs root");
      return;
    }
    // No guest of this private root runs, so no host listener can be in a trap with one.
    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).contains("no host process listens on a wildcard address");
    assertThat(run("check", "--json")).isZero();
    assertThat(json().isArray()).isTrue();
    assertThat(json().size()).isZero();
  }
}
