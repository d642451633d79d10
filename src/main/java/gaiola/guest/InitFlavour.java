package gaiola.guest;

import gaiola.config.Fstab;
import gaiola.config.GuestConfig;
import gaiola.error.GaiolaException;
import gaiola.host.Signals;
import java.nio.file.Path;
import java.util.List;

/**
 * Which init a guest with its own PID 1 runs, and how that init is asked to power off. An init in
 * a PID namespace receives only the signals it handles, so each needs its own request.
 *
 * @param powerOffSignal the signal that powers it off, or 0 when a command does
 * @param stopCommand the command run inside instead of a signal
 */
record InitFlavour(String name, int powerOffSignal, List<String> stopCommand) {
  /** busybox init powers off on SIGUSR2 (halts on SIGUSR1, reboots on SIGTERM). */
  static final InitFlavour BUSYBOX = new InitFlavour("busybox", Signals.SIGUSR2, List.of());
  /** systemd powers off on SIGRTMIN+4. */
  static final InitFlavour SYSTEMD = new InitFlavour("systemd", 38, List.of());

  /** Looks at what the guest's init is, following links as the guest would. */
  static InitFlavour of(GuestConfig config) throws GaiolaException {
    String init = config.init().ownInitCommand().getFirst();
    Path host = Fstab.resolveInside(config.vdir(), init);
    String file = host.getFileName() == null ? "" : host.getFileName().toString();
    return switch (file) {
      case "busybox" -> BUSYBOX;
      case "systemd" -> SYSTEMD;
      // sysvinit and its kin act as telinit when not PID 1: util-vserver's plain stop, 'init 0'.
      default -> new InitFlavour(file, 0, List.of(init, "0"));
    };
  }
}
