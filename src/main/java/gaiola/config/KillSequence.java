package gaiola.config;

import gaiola.error.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code apps/init/killseq}: what ends the processes left after the stop command, as alternating
 * signals and waits in seconds. util-vserver's default {@code 15 5 9} sends SIGTERM, waits up to 5 s
 * for the guest to empty, then sends SIGKILL.
 */
public record KillSequence(List<Step> steps) {
  public static final KillSequence DEFAULT =
      new KillSequence(List.of(new Signal(15), new Wait(Duration.ofSeconds(5)), new Signal(9)));

  /** One step of the sequence. */
  public sealed interface Step permits Signal, Wait {}

  /** Send this signal to every process of the guest. */
  public record Signal(int number) implements Step {
    public Signal {
      if (number < 1 || number > 64) {
        throw new IllegalArgumentException("signal out of range: " + number);
      }
    }
  }

  /** Wait at most this long for the guest to have no process left. */
  public record Wait(Duration atMost) implements Step {}

  public KillSequence {
    steps = List.copyOf(steps);
  }

  /** Parses {@code SIG WAIT SIG WAIT … SIG}: odd positions are signals, even positions seconds. */
  public static KillSequence parse(String text) throws InvalidInputException {
    String[] words = text.strip().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      throw new InvalidInputException(
          "kill sequence is empty", "write signals and waits such as '15 5 9'");
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < words.length; i++) {
      int n;
      try {
        n = Integer.parseInt(words[i]);
      } catch (NumberFormatException e) {
        throw new InvalidInputException(
            "kill sequence '" + text.strip() + "' has '" + words[i] + "', not a number",
            "write signals and waits such as '15 5 9'");
      }
      if (i % 2 == 0) {
        if (n < 1 || n > 64) {
          throw new InvalidInputException(
              "kill sequence '" + text.strip() + "' has signal " + n + ", out of range 1..64",
              "write signals and waits such as '15 5 9'");
        }
        steps.add(new Signal(n));
      } else {
        if (n < 0 || n > 3600) {
          throw new InvalidInputException(
              "kill sequence '" + text.strip() + "' waits " + n + " s, out of range 0..3600",
              "write signals and waits such as '15 5 9'");
        }
        steps.add(new Wait(Duration.ofSeconds(n)));
      }
    }
    return new KillSequence(steps);
  }

  /** The file form, e.g. {@code 15 5 9}. */
  public String fileValue() {
    StringBuilder b = new StringBuilder();
    for (Step s : steps) {
      if (!b.isEmpty()) {
        b.append(' ');
      }
      b.append(
          switch (s) {
            case Signal sig -> Integer.toString(sig.number());
            case Wait w -> Long.toString(w.atMost().toSeconds());
          });
    }
    return b.toString();
  }
}
