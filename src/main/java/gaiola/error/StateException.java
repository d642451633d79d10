package gaiola.error;

/** The operation is not legal in the guest's current state ("vs01 is already running"). */
public final class StateException extends GaiolaException {
  public StateException(String message, String hint) {
    super(message, hint, null);
  }

  @Override
  public String code() {
    return "illegal-state";
  }

  @Override
  public int exitCode() {
    return 1;
  }
}
