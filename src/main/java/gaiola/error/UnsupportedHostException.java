package gaiola.error;

/** The host lacks something Gaiola needs: root, a program, a kernel feature. */
public final class UnsupportedHostException extends GaiolaException {
  public UnsupportedHostException(String message, String hint) {
    super(message, hint, null);
  }

  @Override
  public String code() {
    return "unsupported-host";
  }

  @Override
  public int exitCode() {
    return 1;
  }
}
