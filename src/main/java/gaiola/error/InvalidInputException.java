package gaiola.error;

/** A value given by the user (argument, configuration file, archive) is malformed or illegal. */
public final class InvalidInputException extends GaiolaException {
  public InvalidInputException(String message) {
    super(message, null, null);
  }

  public InvalidInputException(String message, String hint) {
    super(message, hint, null);
  }

  @Override
  public String code() {
    return "invalid-input";
  }

  @Override
  public int exitCode() {
    return 2;
  }
}
