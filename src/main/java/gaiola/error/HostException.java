package gaiola.error;

/** A program or system call on the host failed; the message names it, its arguments and what it said. */
public final class HostException extends GaiolaException {
  public HostException(String message) {
    super(message, null, null);
  }

  public HostException(String message, String hint) {
    super(message, hint, null);
  }

  public HostException(String message, Throwable cause) {
    super(message, null, cause);
  }

  @Override
  public String code() {
    return "host-failure";
  }

  @Override
  public int exitCode() {
    return 1;
  }
}
