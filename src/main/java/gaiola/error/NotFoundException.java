package gaiola.error;

/** A guest, template or file the user named does not exist. */
public final class NotFoundException extends GaiolaException {
  public NotFoundException(String message, String hint) {
    super(message, hint, null);
  }

  @Override
  public String code() {
    return "not-found";
  }

  @Override
  public int exitCode() {
    return 1;
  }
}
