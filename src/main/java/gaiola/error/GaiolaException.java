package gaiola.error;

import java.util.Optional;

/**
 * The root of every failure Gaiola reports to a user. Each carries a one-line message that names
 * the value at fault, an optional hint that says what to do, and the exit code of the command line.
 */
public abstract sealed class GaiolaException extends Exception
    permits InvalidInputException,
        NotFoundException,
        ConflictException,
        StateException,
        HostException,
        UnsupportedHostException {

  private final String hint;

  protected GaiolaException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /** What the user can do about it, if anything is known. */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  /** A stable, machine-readable code for the API and {@code --json} output. */
  public abstract String code();

  /** The exit status of the command line for this failure. */
  public abstract int exitCode();

  /** The message and the hint as one line, the way the command line prints it. */
  public String oneLine() {
    return hint == null ? getMessage() : getMessage() + "; " + hint;
  }
}
