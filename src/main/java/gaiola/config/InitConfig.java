package gaiola.config;

import java.util.List;
import java.util.Optional;

/**
 * The {@code apps/init/} settings: style, runlevels, the autostart mark, command overrides and the
 * kill sequence.
 *
 * @param runlevelStart {@code runlevel.start}, else {@code runlevel}, else 3
 * @param runlevelStop {@code runlevel.stop}, else 6
 * @param cmdStart {@code cmd.start}, one argument per line; empty means the style's command
 * @param cmdStop {@code cmd.stop}; empty means the style's command
 */
public record InitConfig(
    InitStyle style,
    String runlevelStart,
    String runlevelStop,
    Optional<String> mark,
    List<String> cmdStart,
    List<String> cmdStop,
    KillSequence killSequence) {

  public static final InitConfig DEFAULT =
      new InitConfig(InitStyle.SYSV, "3", "6", Optional.empty(), List.of(), List.of(), KillSequence.DEFAULT);

  public InitConfig {
    cmdStart = List.copyOf(cmdStart);
    cmdStop = List.copyOf(cmdStop);
    mark = mark == null ? Optional.empty() : mark;
  }

  public InitConfig withStyle(InitStyle s) {
    return new InitConfig(s, runlevelStart, runlevelStop, mark, cmdStart, cmdStop, killSequence);
  }

  /** PID 1 of a style with its own init: {@code cmd.start} overrides the style's init. */
  public List<String> ownInitCommand() {
    return cmdStart.isEmpty() ? style.initCommand() : cmdStart;
  }

  /** What runs inside the guest once a reaper is PID 1; empty for styles with their own init. */
  public List<String> effectiveStartCommand() {
    if (style.ownInit()) {
      return List.of();
    }
    return cmdStart.isEmpty() ? style.startCommand(runlevelStart) : cmdStart;
  }

  /** What runs inside the guest to stop it; empty means: signal PID 1. */
  public List<String> effectiveStopCommand() {
    return cmdStop.isEmpty() ? style.stopCommand(runlevelStop) : cmdStop;
  }
}
