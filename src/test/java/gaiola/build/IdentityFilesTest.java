package gaiola.build;

import static org.assertj.core.api.Assertions.assertThat;

import gaiola.config.ContextId;
import gaiola.config.Fstab;
import gaiola.config.GuestConfig;
import gaiola.config.GuestName;
import gaiola.config.InitConfig;
import gaiola.config.InterfaceSpec;
import gaiola.config.Uts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityFilesTest {
  @TempDir Path vdir;

  static GuestConfig guest(String name, String domain, String ip, Path vdir) throws Exception {
    return new GuestConfig(
        new GuestName(name), new ContextId(5196), vdir, new Uts(name, Optional.ofNullable(domain)), InitConfig.DEFAULT,
        Fstab.defaultEntries(), ip == null ? List.of() : List.of(InterfaceSpec.parseSpec("br0:" + ip + "/24", "0")), List.of());
  }

  @Test
  void everyIdentityFileNamesTheNewGuest() throws Exception {
    Files.createDirectories(vdir.resolve("etc/network"));
    Files.createDirectories(vdir.resolve("etc/conf.d"));
    Files.writeString(vdir.resolve("etc/hostname"), "old\n");
    Files.writeString(vdir.resolve("etc/hosts"),
        "127.0.0.1\tlocalhost\n127.0.1.1\told.example.org old\n198.51.100.1\told # gaiola\n10.9.9.9\tfriend\n");
    Files.writeString(vdir.resolve("etc/network/interfaces"),
        "auto eth0\niface eth0 inet static\n  address 198.51.100.1/24\n  gateway 198.51.100.254\nhostname old\n");
    Files.writeString(vdir.resolve("etc/conf.d/hostname"), "# set the name\nhostname=\"old\"\n");
    Files.writeString(vdir.resolve("etc/conf.d/domainname"), "dns_domain_lo=\"example.org\"\n");
    Files.setAttribute(vdir.resolve("etc/conf.d/hostname"), "unix:mode", 0600);
    GuestConfig old = guest("old", "example.org", "198.51.100.1", vdir);
    GuestConfig now = guest("new", "example.net", "198.51.100.2", vdir);

    List<String> changed = IdentityFiles.rewrite(vdir, now, Optional.of(old));

    assertThat(changed).containsExactly("/etc/hostname", "/etc/hosts", "/etc/network/interfaces", "/etc/conf.d/hostname", "/etc/conf.d/domainname");
    assertThat(Files.readString(vdir.resolve("etc/hostname"))).isEqualTo("new\n");
    assertThat(Files.readString(vdir.resolve("etc/hosts")))
        .isEqualTo("127.0.0.1\tlocalhost\n127.0.1.1\tnew.example.net new\n10.9.9.9\tfriend\n");
    assertThat(Files.readString(vdir.resolve("etc/network/interfaces")))
        .contains("address 198.51.100.2/24").contains("gateway 198.51.100.254").contains("hostname new");
    assertThat(Files.readString(vdir.resolve("etc/conf.d/hostname"))).isEqualTo("# set the name\nhostname=\"new\"\n");
    assertThat(Files.getAttribute(vdir.resolve("etc/conf.d/hostname"), "unix:mode")).isEqualTo(0100600);
    assertThat(Files.readString(vdir.resolve("etc/conf.d/domainname"))).isEqualTo("dns_domain_lo=\"example.net\"\n");
  }

  @Test
  void aLinkPlantedAtAnIdentityFileIsNotWrittenThrough(@TempDir Path outside) throws Exception {
    Path target = Files.writeString(outside.resolve("shadow"), "secret\n");
    Files.createDirectories(vdir.resolve("etc"));
    Files.createSymbolicLink(vdir.resolve("etc/hostname"), target);
    Files.createSymbolicLink(vdir.resolve("etc/conf.d"), outside);
    Files.writeString(outside.resolve("hostname"), "hostname=\"outside\"\n");

    IdentityFiles.rewrite(vdir, guest("new", null, null, vdir), Optional.empty());

    assertThat(Files.readString(target)).isEqualTo("secret\n");
    assertThat(Files.readString(outside.resolve("hostname"))).isEqualTo("hostname=\"outside\"\n");
    assertThat(Files.isSymbolicLink(vdir.resolve("etc/hostname"))).isTrue();
    assertThat(Files.readString(vdir.resolve("etc/hosts"))).contains("127.0.1.1\tnew");
  }
}
