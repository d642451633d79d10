package gaiola.runtime;

import java.util.List;

/**
 * The device nodes a guest may use, enforced by the devices cgroup: the standard character devices
 * every Unix program expects, and nothing that reaches hardware.
 */
final class StandardDevices {
  static final List<OciSpec.DeviceRule> RULES =
      List.of(
          new OciSpec.DeviceRule(false, "a", null, null, "rwm"),
          allow(1, 3), // null
          allow(1, 5), // zero
          allow(1, 7), // full
          allow(1, 8), // random
          allow(1, 9), // urandom
          allow(5, 0), // tty
          allow(5, 1), // console
          allow(5, 2), // ptmx
          new OciSpec.DeviceRule(true, "c", 136L, null, "rwm")); // pts/*

  private StandardDevices() {}

  private static OciSpec.DeviceRule allow(long major, long minor) {
    return new OciSpec.DeviceRule(true, "c", major, minor, "rwm");
  }
}
