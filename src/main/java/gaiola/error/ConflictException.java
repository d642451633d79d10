package gaiola.error;

/** A name, context id or address is already held by someone else. */
public final class ConflictException extends GaiolaException {
  public ConflictException(String message, String hint) {
    super(message, hint, null);
  }

  @Override
  public String code() {
    return "conflict";
  }

  @Override
  public int exitCode() {
    return 1;
  }
}
