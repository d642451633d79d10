package gaiola.guest;

import java.time.Instant;

/** Where a guest is in its life: the closed set of states and nothing else. */
public sealed interface GuestState permits GuestState.Stopped, GuestState.Running {
  /** Not running: no init, no container. */
  record Stopped() implements GuestState {}

  /** Running: its PID 1 is {@code initPid} as the host sees it, up since {@code since}. */
  record Running(long initPid, Instant since) implements GuestState {}

  default boolean isRunning() {
    return this instanceof Running;
  }
}
