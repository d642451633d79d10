package gaiola.config;

import java.util.List;

/**
 * One line of the guest's {@code fstab}: mounted inside the guest's mount namespace at start, with
 * the target relative to the guest root.
 */
public record FstabEntry(String source, String target, String type, List<String> options) {
  public FstabEntry {
    options = List.copyOf(options);
  }

  /** True for a bind mount ({@code type bind}, or option {@code bind}/{@code rbind}). */
  public boolean isBind() {
    return type.equals("bind") || options.contains("bind") || options.contains("rbind");
  }

  /** True when the line asks for a read-only mount. */
  public boolean readOnly() {
    return options.contains("ro");
  }

  /** The fstab line, fields separated by a tab, blanks and backslashes escaped as {@code \040}. */
  public String line() {
    return Fstab.line(this);
  }
}
