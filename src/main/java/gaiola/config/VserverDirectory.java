package gaiola.config;

import gaiola.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The codec of util-vserver's per-guest configuration directory {@code /etc/vservers/NAME/}, one
 * setting per file. Every message names the file relative to {@code /etc/vservers} (e.g. {@code
 * vs01/context}) and the offending text. Files util-vserver knows but Gaiola does not apply, and
 * unknown files, are reported as notes ({@code "cpuset: ignored (…)"}, path relative to the
 * directory) and otherwise ignored.
 *
 * <p>Defaults where a file is absent: {@code name} is the directory's name, {@code vdir} is {@code
 * /vservers/NAME}, {@code uts/nodename} is the guest name ('_' becomes '-'), the init style is sysv
 * with runlevels 3 and 6, a missing {@code fstab} means no mounts (as in util-vserver), and the
 * legacy top-level {@code hostname} and {@code domainname} are read when {@code uts/} lacks them. A
 * value file is read up to its first line, like util-vserver's {@code read}.
 */
public final class VserverDirectory {
  private static final String NOT_YET = "util-vserver setting Gaiola does not apply yet";
  private static final Map<String, String> IGNORED =
      Map.ofEntries(
          Map.entry("run", "Gaiola keeps run state under /run/gaiola"),
          Map.entry("cache", "Gaiola keeps no per-guest cache"),
          Map.entry("fstab.remote", "not supported; put the mounts into fstab"),
          Map.entry("fstab.local", "obsolete in util-vserver; put the mounts into fstab"),
          Map.entry("capabilities", "Linux 2.4 setting; use bcapabilities"),
          Map.entry("noisy", "Gaiola's verbosity is a command-line option"));
  private static final Set<String> IGNORED_NOT_YET =
      words(
          "ncontext noncontext tag ccapabilities ncapabilities cflags flags nflags umask namespace"
              + " nonamespace namespace-cleanup namespace-cleanup-skip nice ionice badness"
              + " personality shell schedule sched cpuset cgroup nocgroup rlimits ulimits dlimits"
              + " sysctl spaces netns keepfds legacy");
  private static final Set<String> READ =
      words(
          "context name vdir fstab bcapabilities interfaces uts apps hostname domainname nonetns"
              + " nameserver searchdomain scripts");
  /** apps/ entries other parts read: vhashify (vunify), the guest log's rotation (log). */
  private static final Set<String> APPS_READ_ELSEWHERE = words("vunify log");
  private static final Set<String> INIT_READ =
      words("style runlevel runlevel.start runlevel.stop mark cmd.start cmd.stop killseq restart order");
  private static final Set<String> INIT_IGNORED =
      words("environment tty sync depends order mtab cmd.prepare cmd.start-sync cmd.stop-sync");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._-]{1,32}");

  /** Longest single value accepted; a longer one is garbage, and would flood the message. */
  private static final int MAX_VALUE_CHARS = 256;

  private VserverDirectory() {}

  /** Reads and checks {@code configDir}, reporting what it ignores to {@code notes}. */
  public static GuestConfig read(Path configDir, HostLayout layout, Consumer<String> notes)
      throws InvalidInputException {
    Dir d = new Dir(configDir, String.valueOf(configDir.getFileName()), notes);
    if (!Files.isDirectory(configDir)) {
      throw new InvalidInputException(
          d.base + ": is not a configuration directory (" + configDir + ")",
          "give the name of a guest under /etc/vservers");
    }
    reportIgnored(d);
    GuestName name = readName(d);
    ContextId context =
        parsed(
            d.label("context"),
            d.value("context")
                .orElseThrow(
                    () ->
                        new InvalidInputException(
                            d.label("context") + ": is missing",
                            "write the guest's context id, an integer from 2 to 49151, into it")),
            ContextId::parse);
    Path vdir = readVdir(d, layout, name);
    Uts uts = readUts(d, name);
    InitConfig init = readInit(d);
    Optional<String> fstabText = d.text("fstab");
    List<FstabEntry> fstab =
        fstabText.isPresent() ? Fstab.parse(fstabText.get(), d.label("fstab")) : List.of();
    List<Interface> interfaces =
        InterfaceSpec.read(configDir.resolve("interfaces"), d.label("interfaces"), notes);
    List<CapabilityChange> caps = readCapabilities(d);
    NetworkSettings network = readNetwork(d);
    if (network.hostStack() && interfaces.stream().anyMatch(i -> !i.disabled())) {
      throw new InvalidInputException(
          d.label("nonetns") + ": the guest shares the host's network, but interfaces/ gives it addresses",
          "remove nonetns to give the guest its own network, or remove its interfaces");
    }
    return new GuestConfig(name, context, vdir, uts, init, fstab, interfaces, caps, network);
  }

  /**
   * Writes {@code config} into {@code configDir} so that {@link #read} loads it back equal: always
   * {@code context}, {@code name}, {@code vdir} (a symbolic link), {@code uts/nodename}, {@code
   * apps/init/style} and {@code fstab}; other settings only where they differ from the defaults,
   * removing a stale file that would contradict them. Each file is replaced atomically.
   */
  public static void write(Path configDir, GuestConfig config) throws IOException {
    Files.createDirectories(configDir);
    Path f = configDir;
    SettingFiles.write(f.resolve("context"), config.context().toString());
    SettingFiles.write(f.resolve("name"), config.name().value());
    Path link = f.resolve("vdir");
    // A vdir that is a real directory (old setups) stays as it is.
    if (!(Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)
        && config.vdir().equals(link.toAbsolutePath().normalize()))) {
      SettingFiles.writeLink(link, config.vdir());
    }
    SettingFiles.write(f.resolve("uts/nodename"), config.uts().nodename());
    writeOrDelete(f.resolve("uts/domainname"), config.uts().domainname());
    // The legacy names would be read when uts/ lacks a value, so they must not linger.
    Files.deleteIfExists(f.resolve("hostname"));
    Files.deleteIfExists(f.resolve("domainname"));

    InitConfig init = config.init();
    Path a = f.resolve("apps/init");
    SettingFiles.write(a.resolve("style"), init.style().fileValue());
    Files.deleteIfExists(a.resolve("runlevel"));
    writeOrDelete(a.resolve("runlevel.start"), unlessDefault(init.runlevelStart(), "3"));
    writeOrDelete(a.resolve("runlevel.stop"), unlessDefault(init.runlevelStop(), "6"));
    writeOrDelete(a.resolve("mark"), init.mark());
    writeOrDelete(a.resolve("cmd.start"), argv(init.cmdStart()));
    writeOrDelete(a.resolve("cmd.stop"), argv(init.cmdStop()));
    // One number per line: util-vserver reads killseq as one argument per line.
    writeOrDelete(
        a.resolve("killseq"),
        init.killSequence().equals(KillSequence.DEFAULT)
            ? Optional.empty()
            : Optional.of(init.killSequence().fileValue().replace(' ', '\n')));

    SettingFiles.write(f.resolve("fstab"), Fstab.format(config.fstab()));
    InterfaceSpec.write(f.resolve("interfaces"), config.interfaces());
    NetworkSettings net = config.network();
    writeOrDelete(f.resolve("nonetns"), net.hostStack() ? Optional.of("") : Optional.empty());
    List<String> servers = net.nameservers().stream().map(IpLiteral::format).toList();
    writeOrDelete(
        f.resolve("nameserver"),
        net.inheritNameservers()
            ? Optional.of("inherit")
            : servers.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", servers)));
    writeOrDelete(
        f.resolve("searchdomain"),
        net.searchDomains().isEmpty() ? Optional.empty() : Optional.of(String.join("\n", net.searchDomains())));
    List<String> caps = config.bcapabilities().stream().map(CapabilityChange::line).toList();
    writeOrDelete(
        f.resolve("bcapabilities"),
        caps.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", caps)));
  }

  private static GuestName readName(Dir d) throws InvalidInputException {
    Optional<String> text = d.value("name");
    String dirName = d.base;
    if (text.isEmpty()) {
      try {
        return GuestName.parse(dirName);
      } catch (InvalidInputException e) {
        throw new InvalidInputException(
            d.base
                + ": directory name "
                + SettingFiles.quote(dirName)
                + " is not a valid guest name",
            "rename the directory, or write a valid name into its 'name' file");
      }
    }
    GuestName name = parsed(d.label("name"), text.get(), GuestName::parse);
    if (!name.value().equals(dirName)) {
      d.notes.accept("name: '" + name + "' differs from the directory name '" + dirName + "'");
    }
    return name;
  }

  private static Path readVdir(Dir d, HostLayout layout, GuestName name)
      throws InvalidInputException {
    Path link = d.dir.resolve("vdir");
    Path vdir;
    if (Files.isSymbolicLink(link)) {
      try {
        vdir = d.dir.toAbsolutePath().resolve(Files.readSymbolicLink(link)).normalize();
      } catch (IOException e) {
        throw new InvalidInputException(
            d.label("vdir") + ": cannot be read (" + e.getMessage() + ")",
            "make vdir a symbolic link to the guest's root");
      }
    } else if (Files.isDirectory(link)) {
      vdir = link.toAbsolutePath().normalize();
    } else if (Files.exists(link)) {
      throw new InvalidInputException(
          d.label("vdir") + ": is a file, not a link to the guest's root directory",
          "replace it by a symbolic link, e.g. ln -s /vservers/" + name + " vdir");
    } else {
      vdir = layout.vdirBase().resolve(name.value());
    }
    Path real = realOrSelf(vdir);
    if (real.getParent() == null || real.equals(realOrSelf(layout.root()))) {
      throw new InvalidInputException(
          d.label("vdir") + ": leads to '" + real + "', the host's root directory",
          "point vdir at the guest's own directory, e.g. /vservers/" + name);
    }
    return vdir;
  }

  private static Uts readUts(Dir d, GuestName name) throws InvalidInputException {
    String nodeLabel = d.label("uts/nodename");
    Optional<String> node = d.value("uts/nodename");
    if (node.isEmpty() && (node = d.value("hostname")).isPresent()) {
      nodeLabel = d.label("hostname");
      d.notes.accept("hostname: read as uts/nodename (its legacy name)");
    }
    String nodename;
    if (node.isPresent()) {
      nodename = Uts.checkHostname(nodeLabel + ": value", node.get());
    } else {
      String derived = name.value().replace('_', '-');
      try {
        nodename = Uts.checkHostname("host name", derived);
      } catch (InvalidInputException e) {
        throw new InvalidInputException(
            nodeLabel + ": is missing, and the guest name '" + name + "' is not a valid host name",
            "write the guest's host name into uts/nodename");
      }
    }
    String domainLabel = d.label("uts/domainname");
    Optional<String> domain = d.value("uts/domainname");
    if (domain.isEmpty() && (domain = d.value("domainname")).isPresent()) {
      domainLabel = d.label("domainname");
      d.notes.accept("domainname: read as uts/domainname (its legacy name)");
    }
    if (domain.isPresent()) {
      Uts.checkHostname(domainLabel + ": value", domain.get());
    }
    return new Uts(nodename, domain);
  }

  private static InitConfig readInit(Dir d) throws InvalidInputException {
    Optional<String> styleText = d.value("apps/init/style");
    InitStyle style =
        styleText.isPresent()
            ? parsed(d.label("apps/init/style"), styleText.get(), InitStyle::parse)
            : InitStyle.SYSV;
    Optional<String> runlevel = word(d, "apps/init/runlevel");
    String start = word(d, "apps/init/runlevel.start").or(() -> runlevel).orElse("3");
    String stop = word(d, "apps/init/runlevel.stop").orElse("6");
    Optional<String> mark = word(d, "apps/init/mark");
    List<String> cmdStart =
        d.text("apps/init/cmd.start").map(SettingFiles::lines).orElse(List.of());
    List<String> cmdStop = d.text("apps/init/cmd.stop").map(SettingFiles::lines).orElse(List.of());
    Optional<String> killseq = d.text("apps/init/killseq");
    KillSequence kill =
        killseq.isPresent()
            ? parsed(d.label("apps/init/killseq"), killseq.get(), KillSequence::parse)
            : KillSequence.DEFAULT;
    return new InitConfig(style, start, stop, mark, cmdStart, cmdStop, kill);
  }

  /**
   * {@code nonetns} (util-vserver: no network namespace), {@code nameserver} (addresses, one per
   * line or blank-separated, or {@code inherit}) and {@code searchdomain} (domains).
   */
  private static NetworkSettings readNetwork(Dir d) throws InvalidInputException {
    return NetworkSettings.of(
        SettingFiles.flag(d.dir.resolve("nonetns")),
        wordsOf(d.text("nameserver")),
        d.label("nameserver"),
        wordsOf(d.text("searchdomain")),
        d.label("searchdomain"));
  }

  private static List<String> wordsOf(Optional<String> text) {
    return text.map(t -> List.of(t.strip().split("\\s+"))).orElse(List.of()).stream()
        .filter(w -> !w.isEmpty())
        .toList();
  }

  private static List<CapabilityChange> readCapabilities(Dir d) throws InvalidInputException {
    Optional<String> text = d.text("bcapabilities");
    List<CapabilityChange> caps = new ArrayList<>();
    if (text.isEmpty()) {
      return caps;
    }
    String[] lines = text.get().split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        caps.add(parsed(d.label("bcapabilities") + ":" + (i + 1), line, CapabilityChange::parse));
      }
    }
    return caps;
  }

  private static void reportIgnored(Dir d) throws InvalidInputException {
    for (Path p : d.list("")) {
      String n = p.getFileName().toString();
      if (n.equals("uts") && Files.isDirectory(p)) {
        for (Path u : d.list("uts")) {
          String un = u.getFileName().toString();
          if (!un.equals("nodename") && !un.equals("domainname")) {
            d.notes.accept("uts/" + un + ": ignored (Gaiola sets only nodename and domainname)");
          }
        }
      } else if (n.equals("apps") && Files.isDirectory(p)) {
        reportIgnoredApps(d);
      } else if (IGNORED.containsKey(n)) {
        d.notes.accept(n + ": ignored (" + IGNORED.get(n) + ")");
      } else if (IGNORED_NOT_YET.contains(n)) {
        d.notes.accept(n + ": ignored (" + NOT_YET + ")");
      } else if (!READ.contains(n)) {
        d.notes.accept(n + ": ignored (not a util-vserver setting Gaiola knows)");
      }
    }
  }

  private static void reportIgnoredApps(Dir d) throws InvalidInputException {
    for (Path p : d.list("apps")) {
      String n = p.getFileName().toString();
      if (APPS_READ_ELSEWHERE.contains(n)) {
        continue;
      }
      if (!n.equals("init") || !Files.isDirectory(p)) {
        d.notes.accept("apps/" + n + ": ignored (" + NOT_YET + ")");
        continue;
      }
      for (Path i : d.list("apps/init")) {
        String in = i.getFileName().toString();
        if (INIT_IGNORED.contains(in)) {
          d.notes.accept("apps/init/" + in + ": ignored (" + NOT_YET + ")");
        } else if (!INIT_READ.contains(in)) {
          d.notes.accept("apps/init/" + in + ": ignored (not a util-vserver setting Gaiola knows)");
        }
      }
    }
  }

  /** A parser of one value that reports without the file's name. */
  private interface Parser<T> {
    T parse(String text) throws InvalidInputException;
  }

  /** Runs {@code parser}, putting the file's name in front of its message. */
  private static <T> T parsed(String label, String text, Parser<T> parser)
      throws InvalidInputException {
    try {
      return parser.parse(text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(label + ": " + e.getMessage(), e.hint().orElse(null));
    }
  }

  private static Optional<String> word(Dir d, String rel) throws InvalidInputException {
    Optional<String> v = d.value(rel);
    if (v.isPresent() && !WORD.matcher(v.get()).matches()) {
      throw new InvalidInputException(
          d.label(rel) + ": " + SettingFiles.quote(v.get()) + " is not a single word",
          "write up to 32 letters, digits, '.', '_' or '-', e.g. 3 or default");
    }
    return v;
  }

  /**
   * One directory being read: where it is, its name in messages, where notes go, and the names in
   * each of its directories, listed once (by the report of ignored files, or on first need).
   */
  private record Dir(Path dir, String base, Consumer<String> notes, Map<String, Set<String>> listed) {
    Dir(Path dir, String base, Consumer<String> notes) {
      this(dir, base, notes, new HashMap<>());
    }

    String label(String rel) {
      return base + "/" + rel;
    }

    /** The entries of the directory {@code rel} ("" for the top), sorted; remembered for {@link #mayExist}. */
    List<Path> list(String rel) throws InvalidInputException {
      List<Path> entries = SettingFiles.list(rel.isEmpty() ? dir : dir.resolve(rel), rel.isEmpty() ? base : label(rel));
      Set<String> names = new HashSet<>();
      for (Path p : entries) {
        names.add(p.getFileName().toString());
      }
      listed.put(rel, names);
      return entries;
    }

    /**
     * False when {@code rel} is surely absent. Most settings are, and asking the file system for
     * each one costs an exception apiece (the daemon reads a configuration on every operation);
     * one listing per directory answers them all. A dangling link is listed, so it still fails.
     */
    boolean mayExist(String rel) {
      int slash = rel.lastIndexOf('/');
      String parent = slash < 0 ? "" : rel.substring(0, slash);
      if (!listed.containsKey(parent)) {
        unlisted(parent);
      }
      Set<String> names = listed.get(parent);
      return names == null || names.contains(rel.substring(slash + 1));
    }

    /**
     * Lists a directory the report did not: none when it does not exist; unknown (null) when it
     * cannot be listed (not a directory, unreadable), so that each read reports it as it always did.
     */
    private void unlisted(String parent) {
      if (!Files.exists(dir.resolve(parent))) {
        listed.put(parent, Set.of());
        return;
      }
      try {
        list(parent);
      } catch (InvalidInputException e) {
        listed.put(parent, null);
      }
    }

    Optional<String> text(String rel) throws InvalidInputException {
      return mayExist(rel) ? SettingFiles.read(dir.resolve(rel), label(rel)) : Optional.empty();
    }

    Optional<String> value(String rel) throws InvalidInputException {
      if (!mayExist(rel)) {
        return Optional.empty();
      }
      Optional<String> v = SettingFiles.readValue(dir.resolve(rel), label(rel), rel, notes);
      if (v.isPresent() && v.get().length() > MAX_VALUE_CHARS) {
        throw new InvalidInputException(
            label(rel)
                + ": value "
                + SettingFiles.quote(v.get())
                + " is longer than "
                + MAX_VALUE_CHARS
                + " characters",
            "a setting holds one short value; check that the right file is in place");
      }
      return v;
    }
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  private static Set<String> words(String spaceSeparated) {
    return Set.of(spaceSeparated.split(" +"));
  }

  private static Optional<String> unlessDefault(String value, String dflt) {
    return value.equals(dflt) ? Optional.empty() : Optional.of(value);
  }

  private static Optional<String> argv(List<String> args) {
    for (String a : args) {
      if (a.isBlank() || a.contains("\n")) {
        throw new IllegalArgumentException(
            "command argument cannot be stored one per line: '" + a + "'");
      }
    }
    return args.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", args));
  }

  private static void writeOrDelete(Path file, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      SettingFiles.write(file, value.get());
    } else {
      Files.deleteIfExists(file);
    }
  }
}
