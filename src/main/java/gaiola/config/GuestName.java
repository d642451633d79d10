package gaiola.config;

import gaiola.error.InvalidInputException;
import java.util.regex.Pattern;

/** A guest's unique name: its directory under /etc/vservers and its runc container id. */
public record GuestName(String value) implements Comparable<GuestName> {
  private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public GuestName {
    if (value == null || !LEGAL.matcher(value).matches()) {
      throw new IllegalArgumentException("illegal guest name: " + value);
    }
  }

  /** Parses a name the user typed, with a message that says what is allowed. */
  public static GuestName parse(String text) throws InvalidInputException {
    if (text == null || !LEGAL.matcher(text).matches()) {
      throw new InvalidInputException(
          "guest name '" + text + "' is not valid",
          "use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return new GuestName(text);
  }

  @Override
  public int compareTo(GuestName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
