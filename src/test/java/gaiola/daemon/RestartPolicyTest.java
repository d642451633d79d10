package gaiola.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.error.InvalidInputException;
import gaiola.guest.GuestEnd;
import gaiola.host.Pidfd;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
  private static final GuestEnd REBOOT = GuestEnd.of(new Pidfd.End(true, 1));
  private static final GuestEnd HALT = GuestEnd.of(new Pidfd.End(true, 2));
  private static final GuestEnd CLEAN = GuestEnd.of(new Pidfd.End(false, 0));
  private static final GuestEnd EXIT3 = GuestEnd.of(new Pidfd.End(false, 3));
  private static final GuestEnd KILLED = GuestEnd.of(new Pidfd.End(true, 9));

  @Test
  void parsesTheThreePoliciesAndRoundTrips() throws Exception {
    for (String p : new String[] {"no", "always", "on-failure", "on-failure:3"}) {
      assertThat(RestartPolicy.parse(p + "\n").toString()).isEqualTo(p);
    }
    assertThat(RestartPolicy.parse("")).isEqualTo(RestartPolicy.NO);
  }

  @Test
  void refusesAnythingElseNamingTheValue() {
    for (String bad : new String[] {"yes", "on-failure:0", "on-failure:-1", "on-failure:x", "on-failure:99999", "always\nno", "ALWAYS"}) {
      assertThatThrownBy(() -> RestartPolicy.parse(bad)).as(bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("apps/init/restart: '")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void rebootAlwaysRestartsAndHaltNever() throws Exception {
    for (String p : new String[] {"no", "always", "on-failure:1"}) {
      RestartPolicy policy = RestartPolicy.parse(p);
      assertThat(policy.restarts(REBOOT, 100)).isTrue();
      assertThat(policy.restarts(HALT, 0)).isFalse();
    }
  }

  @Test
  void onFailureCountsConsecutiveFailuresAndIgnoresACleanExit() throws Exception {
    RestartPolicy p = RestartPolicy.parse("on-failure:3");
    assertThat(p.restarts(EXIT3, 0)).isTrue();
    assertThat(p.restarts(EXIT3, 2)).isTrue();
    assertThat(p.restarts(EXIT3, 3)).isFalse();
    assertThat(p.restarts(KILLED, 0)).isTrue();
    assertThat(p.restarts(CLEAN, 0)).isFalse();
    assertThat(RestartPolicy.parse("on-failure").restarts(EXIT3, 1000)).isTrue();
    assertThat(RestartPolicy.parse("always").restarts(CLEAN, 0)).isTrue();
    assertThat(RestartPolicy.NO.restarts(EXIT3, 0)).isFalse();
  }

  @Test
  void backOffDoublesFromATenthOfASecondUpToThirtySeconds() {
    assertThat(RestartPolicy.backoff(0)).isEqualTo(Duration.ZERO);
    assertThat(RestartPolicy.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(RestartPolicy.backoff(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(RestartPolicy.backoff(20)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RestartPolicy.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
  }
}
