package gaiola.config;

import gaiola.error.InvalidInputException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The guest's UTS names: {@code uts/nodename} and {@code uts/domainname}. */
public record Uts(String nodename, Optional<String> domainname) {
  // RFC 1123 labels joined by dots, at most 64 bytes as the kernel's UTS fields allow.
  private static final Pattern HOSTNAME =
      Pattern.compile("(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  public Uts {
    if (nodename == null || !HOSTNAME.matcher(nodename).matches()) {
      throw new IllegalArgumentException("illegal hostname: " + nodename);
    }
    domainname = domainname == null ? Optional.empty() : domainname;
    domainname.ifPresent(
        d -> {
          if (!HOSTNAME.matcher(d).matches()) {
            throw new IllegalArgumentException("illegal domain name: " + d);
          }
        });
  }

  public static String checkHostname(String what, String text) throws InvalidInputException {
    if (text == null || !HOSTNAME.matcher(text).matches()) {
      throw new InvalidInputException(
          what + " '" + text + "' is not a valid host name",
          "use letters, digits and '-' in dot-separated labels, at most 64 characters");
    }
    return text;
  }
}
