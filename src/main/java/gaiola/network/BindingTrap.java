package gaiola.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's "address binding trap": a host daemon that listens on the wildcard address answers
 * on every address the host has, so clients that meant a guest's service on the same port reach
 * the host's instead, and a guest on the host's stack cannot bind that port at all.
 */
public final class BindingTrap {
  private BindingTrap() {}

  /** A guest's serving socket, with the guest's name. */
  public record GuestListener(String guest, Listener listener) {}

  /** One host listener in the trap, and the guest listener that shares its port. */
  public record Finding(Listener host, long pid, String program, GuestListener guest) {
    /** What to do, as the seed advises for sshd. */
    public String fix() {
      String hint =
          program.equals("sshd")
              ? " (ListenAddress in /etc/ssh/sshd_config)"
              : "";
      return "bind " + program + " to the host's own addresses instead of "
          + (host.address().getAddress().length == 4 ? "0.0.0.0" : "::") + hint;
    }
  }

  /** A process that holds a socket: its PID and command name. */
  public record Owner(long pid, String program) {}

  /**
   * The host's wildcard listeners whose protocol and port a guest also serves.
   *
   * @param owners the owner of each host socket by inode; sockets of guest processes on the host's
   *     stack are in {@code guests}, not in {@code host}
   */
  public static List<Finding> find(
      List<Listener> host, List<GuestListener> guests, Map<Long, Owner> owners) {
    List<Finding> findings = new ArrayList<>();
    for (Listener h : host) {
      if (!h.wildcard()) {
        continue;
      }
      for (GuestListener g : guests) {
        Listener l = g.listener();
        if (l.protocol().equals(h.protocol()) && l.port() == h.port() && l.inode() != h.inode()) {
          Owner o = owners.getOrDefault(h.inode(), new Owner(0, "?"));
          findings.add(new Finding(h, o.pid(), o.program(), g));
          break;
        }
      }
    }
    return findings;
  }
}
