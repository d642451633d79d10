package gaiola.cli;

import gaiola.error.GaiolaException;
import gaiola.guest.Guests;
import gaiola.proc.ContextMap;
import gaiola.proc.GuestContext;
import gaiola.proc.ProcessTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's process table with each process attributed to its guest, for vps and vserver-stat. */
final class ProcessView {
  private ProcessView() {}

  static ContextMap read(Guests guests) throws GaiolaException {
    List<GuestContext> running = new ArrayList<>();
    for (Guests.RunningGuest g : guests.running()) {
      running.add(new GuestContext(g.config().context().value(), g.config().name().value(), g.state().initPid()));
    }
    return ContextMap.of(ProcessTable.read(Path.of("/proc")), running);
  }
}
