package gaiola.guest;

import gaiola.error.GaiolaException;
import gaiola.error.HostException;
import gaiola.network.BindingTrap;
import gaiola.network.Listener;
import gaiola.network.SocketOwners;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which listening sockets are the running guests' and which the host's, for the binding trap. */
final class GuestListeners {
  private GuestListeners() {}

  static List<BindingTrap.Finding> bindingTrap(List<Guests.RunningGuest> running) throws GaiolaException {
    Path proc = Path.of("/proc");
    try {
      List<Listener> host = new ArrayList<>(Listener.read(proc.resolve("self/net")));
      Map<Long, BindingTrap.Owner> owners = SocketOwners.scan(proc);
      List<BindingTrap.GuestListener> served = new ArrayList<>();
      for (Guests.RunningGuest g : running) {
        String guest = g.config().name().value();
        if (g.config().network().hostStack()) {
          // On the host's stack a guest's sockets are host sockets held by the guest's processes.
          List<Long> pids = Lifecycle.processes(g.state().initPid());
          for (var it = host.iterator(); it.hasNext(); ) {
            Listener l = it.next();
            BindingTrap.Owner o = owners.get(l.inode());
            if (o != null && pids.contains(o.pid())) {
              served.add(new BindingTrap.GuestListener(guest, l));
              it.remove();
            }
          }
        } else {
          for (Listener l : Listener.read(proc.resolve(g.state().initPid() + "/net"))) {
            served.add(new BindingTrap.GuestListener(guest, l));
          }
        }
      }
      return BindingTrap.find(host, served, owners);
    } catch (IOException e) {
      throw new HostException("cannot read the listening sockets: " + e.getMessage(), e);
    }
  }
}
