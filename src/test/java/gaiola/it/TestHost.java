package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;

import gaiola.build.BuildMethod;
import gaiola.config.ContextId;
import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.config.InitStyle;
import gaiola.guest.BuildRequest;
import gaiola.guest.Guests;
import gaiola.network.HostLinkNames;
import gaiola.guest.Reporter;
import gaiola.host.Command;
import gaiola.host.SystemProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A private Gaiola root in a temporary directory, and the guests a test made in it. {@link #close}
 * stops and deletes them, then asserts that nothing of them is left on the host: no runc
 * container, mount, cgroup or file.
 */
public final class TestHost implements AutoCloseable {
  public final Path root;
  public final Guests guests;
  public final List<String> warnings = new ArrayList<>();
  private final List<GuestName> made = new ArrayList<>();

  public TestHost() throws IOException {
    root = Files.createTempDirectory("gaiola-it-");
    guests =
        Guests.onHost(
            new HostLayout(root),
            new Reporter() {
              @Override
              public void note(String text) {}

              @Override
              public void warn(String text) {
                warnings.add(text);
              }
            });
  }

  /** Builds a busybox guest with the given style and remembers it for clean-up. */
  public GuestName busybox(String name, int context, InitStyle style) throws Exception {
    return busybox(name, context, style, List.of());
  }

  /** Builds a busybox guest with {@code --interface} specs and remembers it for clean-up. */
  public GuestName busybox(String name, int context, InitStyle style, List<String> interfaces)
      throws Exception {
    GuestName n = GuestName.parse(name);
    made.add(n);
    guests.build(
        new BuildRequest(
            n, new BuildMethod.Busybox(), Optional.of(new ContextId(context)), Optional.empty(),
            Optional.empty(), Optional.of(style), interfaces, Optional.empty()));
    return n;
  }

  /** The host PIDs of a running guest's processes, from its cgroup. */
  public List<Long> guestPids(long initPid) throws IOException {
    var cg = gaiola.cgroup.GuestCgroup.of(initPid);
    return cg.isPresent() ? cg.get().processes() : List.of();
  }

  /** The host links whose names mark them as made for this root's guests. */
  public List<String> leftoverLinks() throws IOException {
    String prefix = HostLinkNames.prefix(guests.layout());
    try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
    }
  }

  /** Builds a guest by any method and remembers it for clean-up (also when the build fails). */
  public GuestName build(String name, int context, InitStyle style, BuildMethod method) throws Exception {
    GuestName n = GuestName.parse(name);
    made.add(n);
    guests.build(
        new BuildRequest(
            n, method, Optional.of(new ContextId(context)), Optional.empty(), Optional.empty(),
            Optional.of(style), List.of(), Optional.empty()));
    return n;
  }

  public Path configDir(GuestName name) {
    return guests.layout().configDir(name);
  }

  /** Runs a command inside and returns its stdout, trimmed; fails the test on a non-zero exit. */
  public String exec(GuestName name, String... argv) throws Exception {
    var c = guests.execCaptured(name, List.of(argv));
    assertThat(c.exitStatus()).as("exit of %s: %s", List.of(argv), c.stderr()).isZero();
    return c.stdout().strip();
  }

  /** Runs a command every 50 ms until its output contains the text, for at most 10 s. */
  public void awaitOutput(GuestName name, String text, String... argv) throws Exception {
    String last = "";
    for (int i = 0; i < 200; i++) {
      last = guests.execCaptured(name, List.of(argv)).stdout();
      if (last.contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    assertThat(last).as("output of %s within 10 s", List.of(argv)).contains(text);
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (GuestName n : made) {
      try {
        if (Files.exists(configDir(n))) {
          guests.delete(n, true);
        }
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    try {
      assertNoLeftovers();
    } finally {
      deleteRoot();
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * No runc container in our runc root, no mount below our root, no cgroup of our guests. gaiolad
   * deletes a stopped guest's runc container just after its reply (Guests#forgettingLater), so the
   * check is repeated for up to 5 s before it fails.
   */
  public void assertNoLeftovers() throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        checkNoLeftovers();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private void checkNoLeftovers() throws Exception {
    Path runcRoot = guests.layout().runcRoot();
    if (Files.isDirectory(runcRoot)) {
      var list =
          new SystemProcessRunner()
              .run(Command.of("runc", "--root", runcRoot.toString(), "list", "-q"))
              .stdout()
              .strip();
      assertThat(list).as("runc containers left").isEmpty();
    }
    assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
        .as("mounts left below %s", root)
        .noneMatch(l -> l.contains(root.toString()));
    assertThat(leftoverCgroups()).as("cgroups left").isEmpty();
    assertThat(leftoverLinks()).as("host ends of guest links left").isEmpty();
  }

  /** Our guests' cgroups under our own cgroup in every v1 hierarchy (and the v2 one). */
  List<Path> leftoverCgroups() throws IOException {
    String prefix = guests.cgroupName(new GuestName("x"));
    prefix = prefix.substring(0, prefix.length() - 1);
    List<Path> left = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] f = line.split(":", 3);
      String controller = f[1].isEmpty() ? "unified" : f[1].replace("name=", "");
      Path dir = Path.of("/sys/fs/cgroup", controller.split(",")[0], f[2].substring(1));
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        String p = prefix;
        s.filter(d -> d.getFileName().toString().startsWith(p)).forEach(left::add);
      }
    }
    return left;
  }

  private void deleteRoot() throws IOException, InterruptedException {
    new ProcessBuilder("rm", "-rf", "--one-file-system", root.toString()).inheritIO().start().waitFor();
  }
}
