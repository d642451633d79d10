package gaiola.daemon;

import gaiola.error.GaiolaException;

/**
 * A failure as the API reports it: an HTTP status, a stable code and the one line the command
 * line would print. Engine failures keep their own codes (not-found, invalid-input, ...); the API
 * adds its own for requests it cannot read.
 */
public record ApiError(int status, String code, String message, String hint) {
  static final int MAX_BODY = 64 * 1024;

  static ApiError badJson(String message) {
    return new ApiError(400, "bad-request", message, "send one JSON object as documented in README.md");
  }

  static ApiError tooLarge(long size) {
    return new ApiError(
        413, "too-large", "request body of " + size + " bytes is larger than " + MAX_BODY, null);
  }

  static ApiError noEndpoint(String path) {
    return new ApiError(404, "no-such-endpoint", "no API endpoint " + Api.printable(path), "see GET /1.0");
  }

  static ApiError methodNotAllowed(String method, String path) {
    return new ApiError(
        405, "method-not-allowed", Api.printable(method) + " is not allowed on " + Api.printable(path), null);
  }

  static ApiError internal(Exception e) {
    return new ApiError(500, "internal", "internal error: " + e.getClass().getSimpleName(), "see the daemon's log");
  }

  static ApiError of(GaiolaException e) {
    int status =
        switch (e.code()) {
          case "not-found" -> 404;
          case "invalid-input" -> 400;
          case "conflict", "illegal-state" -> 409;
          case "unsupported-host" -> 501;
          default -> 500;
        };
    return new ApiError(status, e.code(), e.getMessage(), e.hint().orElse(null));
  }

  /** The line the command line prints. */
  public String oneLine() {
    return hint == null ? message : message + "; " + hint;
  }
}
