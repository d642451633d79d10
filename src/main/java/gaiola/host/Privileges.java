package gaiola.host;

import gaiola.error.HostException;
import gaiola.error.UnsupportedHostException;
import java.io.IOException;

/** Who we run as, and what the kernel lets this process do. */
public final class Privileges {
  private Privileges() {}

  public static boolean isRoot() {
    return effectiveUid() == 0;
  }

  /**
   * The effective uid, from /proc/self/status: most commands need nothing else native, and linking
   * the first FFM downcall costs a one-shot command more than reading the file.
   */
  static long effectiveUid() {
    return EffectiveUid.VALUE;
  }

  /** Read once: Gaiola never changes its own uid, and the daemon asks on every operation. */
  private static final class EffectiveUid {
    static final long VALUE = read();
  }

  private static long read() {
    try {
      String uid = ProcSelf.status().get("Uid");
      if (uid != null) {
        // Uid: real effective saved filesystem
        return Long.parseLong(uid.split("\\s+")[1]);
      }
    } catch (IOException | RuntimeException e) {
      // No usable /proc: ask the C library.
    }
    return Native.geteuid();
  }

  /** Refuses to go on without root, naming the operation. */
  public static void requireRoot(String operation) throws UnsupportedHostException {
    if (!isRoot()) {
      throw new UnsupportedHostException(
          operation + " needs root", "run it as root, e.g. with sudo");
    }
  }

  /**
   * Makes this process the reaper of its orphaned descendants, so that a guest's init started by
   * `runc run -d` or `runc create` stays our child and we learn how it ends.
   */
  public static void becomeSubreaper() throws HostException {
    Native.Result r = Native.prctl(Native.PR_SET_CHILD_SUBREAPER, 1);
    if (r.failed()) {
      throw new HostException("prctl(PR_SET_CHILD_SUBREAPER): " + Native.errnoName(r.errno()));
    }
  }
}
