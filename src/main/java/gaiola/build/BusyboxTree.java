package gaiola.build;

import gaiola.config.GuestConfig;
import gaiola.error.GaiolaException;
import gaiola.error.UnsupportedHostException;
import gaiola.host.Command;
import gaiola.host.ProcessRunner;
import gaiola.host.Programs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A minimal Linux guest from the host's static busybox: one binary and its applet links, an
 * inittab, runlevel scripts that start syslogd, and the identity files.
 */
final class BusyboxTree {
  private BusyboxTree() {}

  static void populate(Path vdir, GuestConfig config, ProcessRunner runner)
      throws IOException, GaiolaException {
    Path busybox = staticBusybox();
    RootTree.skeleton(vdir);
    Path target = vdir.resolve("bin/busybox");
    Files.copy(busybox, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    String applets = runner.run(Command.of(busybox.toString(), "--list-full")).stdout();
    for (String applet : applets.lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
      Path link = vdir.resolve(applet).normalize();
      if (!link.startsWith(vdir) || link.equals(target) || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of("/bin/busybox"));
    }
    Path etc = vdir.resolve("etc");
    write(etc.resolve("inittab"), Resources.text("busybox/inittab"), "rw-r--r--");
    write(etc.resolve("init.d/rc"), Resources.text("busybox/rc"), "rwxr-xr-x");
    write(etc.resolve("init.d/syslogd"), Resources.text("busybox/syslogd"), "rwxr-xr-x");
    Files.createDirectories(etc.resolve("rc3.d"));
    Files.createDirectories(etc.resolve("rc6.d"));
    Files.createSymbolicLink(etc.resolve("rc3.d/S10syslogd"), Path.of("../init.d/syslogd"));
    Files.createSymbolicLink(etc.resolve("rc6.d/K90syslogd"), Path.of("../init.d/syslogd"));
    write(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", "rw-r--r--");
    write(etc.resolve("group"), "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n", "rw-r--r--");
    write(etc.resolve("shadow"), "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n", "rw-r-----");
    write(etc.resolve("profile"), "export PS1='\\u@\\h:\\w\\$ '\n", "rw-r--r--");
    Files.createSymbolicLink(etc.resolve("mtab"), Path.of("/proc/mounts"));
    RootTree.identity(vdir, config);
  }

  private static void write(Path file, String text, String mode) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  /** The host's busybox, refused unless statically linked: a dynamic one would not run in the guest. */
  static Path staticBusybox() throws UnsupportedHostException {
    Path bb = Programs.require("busybox");
    try {
      if (!isStatic(bb.toRealPath())) {
        throw new UnsupportedHostException(
            bb + " is dynamically linked and would not run inside a guest",
            "perhaps run 'apt-get install busybox-static'");
      }
    } catch (IOException e) {
      throw new UnsupportedHostException("cannot read " + bb + ": " + e.getMessage(), null);
    }
    return bb.toAbsolutePath();
  }

  /** An ELF file is static when no program header asks for an interpreter (PT_INTERP). */
  static boolean isStatic(Path elf) throws IOException {
    try (FileChannel ch = FileChannel.open(elf)) {
      ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(h, 0);
      if (h.getInt(0) != 0x464c457f || h.get(4) != 2) {
        return false; // not a 64-bit ELF file
      }
      long phoff = h.getLong(32);
      int phentsize = Short.toUnsignedInt(h.getShort(54));
      int phnum = Short.toUnsignedInt(h.getShort(56));
      ByteBuffer ph = ByteBuffer.allocate(phentsize * phnum).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(ph, phoff);
      for (int i = 0; i < phnum; i++) {
        if (ph.getInt(i * phentsize) == 3) {
          return false;
        }
      }
      return true;
    }
  }

  /** Texts shipped in the jar under {@code gaiola/build/}. */
  static final class Resources {
    static String text(String name) throws IOException {
      try (InputStream in = BusyboxTree.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("resource " + name + " missing from the jar");
        }
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }
}
