package gaiola.guest;

import gaiola.config.Fstab;
import gaiola.error.GaiolaException;
import gaiola.error.InvalidInputException;
import gaiola.error.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a guest user, by name or number, to the {@code uid:gid} runc takes. */
final class GuestUsers {
  private GuestUsers() {}

  static String resolve(Path vdir, String user) throws GaiolaException {
    if (user.matches("\\d+(:\\d+)?")) {
      return user.contains(":") ? user : user + ":" + user;
    }
    // Read the guest's passwd as the guest sees it: a symlink in the tree must not lead outside.
    Path passwd = Fstab.resolveInside(vdir, "/etc/passwd");
    try {
      for (String line : Files.readAllLines(passwd)) {
        String[] f = line.split(":", -1);
        if (f.length >= 4 && f[0].equals(user) && f[2].matches("\\d+") && f[3].matches("\\d+")) {
          return f[2] + ":" + f[3];
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read the guest's /etc/passwd: " + e.getMessage());
    }
    throw new NotFoundException(
        "user '" + user + "' does not exist in the guest's /etc/passwd", "give a user name or uid of the guest");
  }
}
