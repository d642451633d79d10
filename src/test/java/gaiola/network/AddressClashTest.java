package gaiola.network;

import static gaiola.network.NetworkPlanTest.guest;
import static gaiola.network.NetworkPlanTest.ip;
import static gaiola.network.NetworkPlanTest.nodev;
import static gaiola.network.NetworkPlanTest.onDev;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestConfig;
import gaiola.config.Interface;
import gaiola.error.ConflictException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressClashTest {
  final GuestConfig self =
      guest("vs01", 1001, onDev("0", null, "br0", "192.0.2.5", 24), nodev("1", null, "2001:db8::5"));

  List<GuestLink> links() throws Exception {
    return NetworkPlan.plan(self, NetworkPlanTest.PRIVATE, NetworkPlanTest.HOST);
  }

  @Test
  void anAddressTheHostHoldsIsRefusedNamingTheDevice() {
    assertThatThrownBy(
            () -> AddressClash.check("vs01", links(), Map.of(ip("2001:db8::5"), "enp3s0"), List.of()))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("2001:db8::5")
        .hasMessageContaining("interfaces/1")
        .hasMessageContaining("host on enp3s0")
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(((ConflictException) e).hint())
                    .get()
                    .asString()
                    .contains("dev enp3s0"));
  }

  @Test
  void anAddressARunningGuestHoldsIsRefusedNamingTheGuest() {
    GuestConfig other = guest("vs02", 1002, onDev("0", null, "eth0", "192.0.2.5", 16));
    assertThatThrownBy(() -> AddressClash.check("vs01", links(), Map.of(), List.of(other)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("192.0.2.5")
        .hasMessageContaining("interfaces/0")
        .hasMessageContaining("running guest 'vs02'");
  }

  @Test
  void theGuestItselfAndDisabledOrDifferentAddressesDoNotClash() {
    Interface off = new Interface("0", Optional.empty(), Optional.of("br0"), ip("192.0.2.5"), 24, false, true);
    GuestConfig stale = guest("vs03", 1003, off, onDev("1", null, "br0", "192.0.2.77", 24));
    assertThatCode(
            () ->
                AddressClash.check(
                    "vs01", links(), Map.of(ip("192.0.2.1"), "br0"), List.of(self, stale)))
        .doesNotThrowAnyException();
  }
}
