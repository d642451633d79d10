package gaiola.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestName;
import gaiola.config.InitStyle;
import gaiola.error.GaiolaException;
import gaiola.error.InvalidInputException;
import gaiola.error.StateException;
import gaiola.guest.Guests;
import gaiola.guest.Unions;
import gaiola.host.Privileges;
import gaiola.storage.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's UnionFS guest on overlayfs: {@code vs04diff=rw : vsnoportage=ro : vsmaster=ro}. A
 * master guest, a mask branch that hides its portage tree, and a guest whose own tree is empty:
 * it boots from the master, does not see the masked directory, and writes only to its own branch.
 */
@RequiresGuestHost
class UnionIT {
  static TestHost host;

  @BeforeAll
  static void setUp() throws Exception {
    Privileges.becomeSubreaper();
    host = new TestHost();
  }

  @AfterAll
  static void tearDown() throws Exception {
    host.close();
  }

  @Test
  void threeBranchStackBootsMasksAndWritesOnlyToTheWritableBranch() throws Exception {
    GuestName master = host.busybox("un-master", 5211, InitStyle.SYSV);
    Path masterTree = host.root.resolve("vservers/un-master");
    Files.createDirectories(masterTree.resolve("usr/portage"));
    Files.writeString(masterTree.resolve("usr/portage/ebuild"), "portage tree\n");
    Files.createDirectories(masterTree.resolve("srv"));
    Files.writeString(masterTree.resolve("srv/master.txt"), "from master\n");

    GuestName vs04 = host.busybox("un-vs04", 5214, InitStyle.SYSV);
    GuestName vs05 = host.busybox("un-vs05", 5215, InitStyle.SYSV);
    // Like the seed's vs04diff: the guest's own tree is empty, everything comes from below.
    Trees.deleteContents(host.root.resolve("vservers/un-vs04"));
    Path mask = Files.createDirectories(host.root.resolve("branches/noportage"));

    Guests g = host.guests;
    g.unions().add(vs04, "un-master", Optional.empty(), Optional.empty());
    g.unions().add(vs04, mask.toString(), Optional.of("un-master"), Optional.empty());
    g.unions().hide(vs04, "/usr/portage", Optional.of(mask.toString()));
    List<Unions.Branch> branches = g.unions().list(vs04);
    assertThat(branches).extracting(Unions.Branch::writable).containsExactly(true, false, false, false);
    assertThat(branches.get(2).dir()).isEqualTo(mask);
    assertThat(branches.get(3).dir()).isEqualTo(masterTree);
    // A second guest shares the master branch, without the mask.
    g.unions().add(vs05, "un-master", Optional.empty(), Optional.empty());

    g.start(vs04);
    g.start(vs05);
    try {
      assertThat(host.exec(vs04, "cat", "/srv/master.txt")).isEqualTo("from master");
      assertThat(g.execCaptured(vs04, List.of("ls", "/usr/portage")).exitStatus()).isNotZero();
      assertThat(host.exec(vs05, "cat", "/usr/portage/ebuild")).isEqualTo("portage tree");
      host.exec(vs04, "sh", "-c", "echo changed > /srv/master.txt && echo new > /srv/own.txt");
      assertThat(host.exec(vs04, "cat", "/srv/master.txt")).isEqualTo("changed");
      assertThat(host.exec(vs05, "cat", "/srv/master.txt")).isEqualTo("from master");
      // A deleted file of a lower branch leaves a whiteout in the writable branch.
      host.exec(vs04, "rm", "/bin/hostname");
      assertThat(g.execCaptured(vs04, List.of("ls", "/bin/hostname")).exitStatus()).isNotZero();
      assertThat(host.exec(vs05, "ls", "/bin/hostname")).isEqualTo("/bin/hostname");
      assertThatThrownBy(() -> g.unions().add(vs04, mask.toString(), Optional.empty(), Optional.empty()))
          .isInstanceOf(StateException.class);
    } finally {
      g.stop(vs04);
      g.stop(vs05);
    }
    Path upper = host.root.resolve("vservers/.layers/un-vs04/upper");
    assertThat(Files.readString(upper.resolve("srv/master.txt"))).isEqualTo("changed\n");
    assertThat(Files.readString(upper.resolve("srv/own.txt"))).isEqualTo("new\n");
    assertThat(Files.readString(masterTree.resolve("srv/master.txt"))).isEqualTo("from master\n");
    assertThat(masterTree.resolve("srv/own.txt")).doesNotExist();
    assertThat(masterTree.resolve("bin/hostname")).exists();
    assertThat(mask.resolve("srv")).doesNotExist();
    assertThat(Files.readAttributes(upper.resolve("bin/hostname"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS).get("mode"))
        .isEqualTo(0020000);

    // Removing the mask makes the directory visible again.
    g.unions().remove(vs04, mask.toString());
    assertThat(host.root.resolve("vservers/un-vs04/usr/portage/ebuild")).exists();
    assertThat(g.unions().list(vs04)).hasSize(3);
  }

  @Test
  void badBranchesAreRefusedAndNothingChanges() throws Exception {
    GuestName vs06 = host.busybox("un-vs06", 5216, InitStyle.SYSV);
    Guests g = host.guests;
    // A link that leads back into the guest's own tree is seen through.
    Path sneaky = Files.createSymbolicLink(host.root.resolve("sneaky"), host.root.resolve("vservers/un-vs06/usr"));
    for (String bad : List.of("no-such-guest", "/no/such/dir", host.root.resolve("vservers/un-vs06/bin").toString(), "/a:b", sneaky.toString())) {
      assertThatThrownBy(() -> g.unions().add(vs06, bad, Optional.empty(), Optional.empty()))
          .as(bad)
          .isInstanceOf(GaiolaException.class);
    }
    assertThatThrownBy(() -> g.unions().hide(vs06, "/../../etc/passwd", Optional.empty()))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> g.unions().remove(vs06, "/tmp")).isInstanceOf(InvalidInputException.class);
    assertThat(host.configDir(vs06).resolve("union")).doesNotExist();
    assertThat(host.root.resolve("vservers/.layers/un-vs06")).doesNotExist();
    assertThat(host.root.resolve("vservers/un-vs06/bin/busybox")).exists();
  }
}
