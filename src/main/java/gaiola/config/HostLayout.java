package gaiola.config;

import java.nio.file.Path;

/**
 * Where Gaiola keeps things on the host. Every path hangs below one root, {@code /} in production
 * and a private directory for tests and trials ({@code --root DIR} or {@code GAIOLA_ROOT}).
 */
public record HostLayout(Path root) {
  public HostLayout {
    root = root.toAbsolutePath().normalize();
  }

  public static final HostLayout SYSTEM = new HostLayout(Path.of("/"));

  /** {@code /etc/vservers}: one directory of configuration per guest. */
  public Path configBase() {
    return root.resolve("etc/vservers");
  }

  /** {@code /etc/vservers/NAME}. */
  public Path configDir(GuestName name) {
    return configBase().resolve(name.value());
  }

  /** {@code /etc/vservers/.defaults}: host-wide defaults, as util-vserver keeps them. */
  public Path defaults() {
    return configBase().resolve(".defaults");
  }

  /** {@code /vservers}: the guests' root trees. */
  public Path vdirBase() {
    return root.resolve("vservers");
  }

  /** {@code /var/lib/gaiola}: persistent state. */
  public Path stateDir() {
    return root.resolve("var/lib/gaiola");
  }

  /** {@code /var/cache/gaiola}: downloads kept to make the next build faster (debootstrap's). */
  public Path cacheDir() {
    return root.resolve("var/cache/gaiola");
  }

  /** {@code /run/gaiola}: runtime state that a reboot clears (bundles, locks, runc's state). */
  public Path runDir() {
    return root.resolve("run/gaiola");
  }

  /** runc's {@code --root}: Gaiola's own, so `runc list` of other users is never touched. */
  public Path runcRoot() {
    return runDir().resolve("runc");
  }

  /** {@code /var/log/gaiola}: per-guest logs of init and runlevel scripts. */
  public Path logDir() {
    return root.resolve("var/log/gaiola");
  }

  /** {@code /var/lib/gaiola/templates}: template archives that Gaiola made or imported. */
  public Path templateDir() {
    return stateDir().resolve("templates");
  }

  /** {@code /vz/template/cache}: OpenVZ's template cache, read only. */
  public Path openvzTemplateCache() {
    return root.resolve("vz/template/cache");
  }
}
