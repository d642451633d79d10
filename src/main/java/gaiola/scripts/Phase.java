package gaiola.scripts;

import java.util.Locale;

/**
 * The moments at which the administrator's scripts run: util-vserver's seven, OpenVZ's host-side
 * {@code mount}/{@code umount}, and OpenVZ's {@code start}/{@code stop}, which run inside the guest.
 */
public enum Phase {
  INITIALIZE(true, true),
  MOUNT(true, true),
  PREPRE_START(true, true),
  PRE_START(false, true),
  POST_START(false, false),
  PRE_STOP(false, false),
  POST_STOP(false, false),
  UMOUNT(true, false),
  POSTPOST_STOP(true, false);

  private final boolean inConfigDir;
  private final boolean abortsStart;

  Phase(boolean inConfigDir, boolean abortsStart) {
    this.inConfigDir = inConfigDir;
    this.abortsStart = abortsStart;
  }

  /** The file name under {@code scripts/}: {@code prepre-start}, {@code mount}. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * util-vserver runs the early scripts in the configuration directory (the root tree may not be
   * mounted yet) and the others in the root tree.
   */
  public boolean inConfigDir() {
    return inConfigDir;
  }

  /** A failing script of this phase stops the start, which is rolled back. */
  public boolean abortsStart() {
    return abortsStart;
  }

  /** The phase named {@code fileName}. */
  public static java.util.Optional<Phase> of(String fileName) {
    for (Phase p : values()) {
      if (p.fileName().equals(fileName)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }
}
