package gaiola.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * The API's request bodies and their strict reading: one JSON object, no unknown field, no
 * coercion between types, no duplicate key, no trailing data, at most {@link ApiError#MAX_BODY}
 * bytes. A request that breaks a rule is refused whole before anything is done.
 */
public final class Api {
  private Api() {}

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // A number or boolean where a string belongs is an error, not a string.
          .withCoercionConfig(
              com.fasterxml.jackson.databind.type.LogicalType.Textual,
              c -> c.setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                  .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                  .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
          .defaultPropertyInclusion(
              com.fasterxml.jackson.annotation.JsonInclude.Value.construct(
                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL,
                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
          .build();

  /** No fields: start, stop, restart. */
  public record Empty() {}

  /** {@code POST /1.0/guests/NAME/exec}: a command run inside as root, stdin empty. */
  public record ExecRequest(List<String> argv) {
    static final int MAX_ARGS = 1024;

    void check() throws RequestException {
      if (argv == null || argv.isEmpty()) {
        throw new RequestException(ApiError.badJson("exec: 'argv' must be a non-empty array of strings"));
      }
      if (argv.size() > MAX_ARGS) {
        throw new RequestException(ApiError.badJson("exec: 'argv' has " + argv.size() + " items, at most " + MAX_ARGS));
      }
      for (String a : argv) {
        if (a == null || a.indexOf('\0') >= 0) {
          throw new RequestException(ApiError.badJson("exec: 'argv' items must be strings without NUL"));
        }
      }
    }
  }

  /**
   * The first line of a streamed exec's body ({@code POST /1.0/guests/NAME/exec?stream=1}): the
   * command, optionally a guest user (name or uid[:gid], as suexec) and the caller's TERM.
   */
  public record ExecStreamRequest(List<String> argv, String user, String term) {
    void check() throws RequestException {
      new ExecRequest(argv).check();
      if (user != null && !user.matches("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}|\\d{1,10}(:\\d{1,10})?")) {
        throw new RequestException(ApiError.badJson("exec: 'user' '" + printable(user) + "' is not a user name or uid[:gid]"));
      }
      if (term != null && !term.matches("[A-Za-z0-9._+-]{1,64}")) {
        throw new RequestException(ApiError.badJson("exec: 'term' '" + printable(term) + "' is not a terminal type"));
      }
    }
  }

  /** {@code POST /1.0/guests}: build a guest, as {@code vserver NAME build -m METHOD}. */
  public record BuildRequest(
      String name, String method, List<String> methodArgs, Integer context, String hostname,
      String initStyle, List<String> interfaces) {}

  /** A request the API refused, with the error to send. */
  public static final class RequestException extends Exception {
    final transient ApiError error;

    RequestException(ApiError error) {
      super(error.message());
      this.error = error;
    }

    public ApiError error() {
      return error;
    }
  }

  /** Reads a body of the given type; an empty body reads as {@code empty}. */
  static <T> T read(byte[] body, Class<T> type, T empty) throws RequestException {
    if (body.length > ApiError.MAX_BODY) {
      throw new RequestException(ApiError.tooLarge(body.length));
    }
    if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      if (empty != null) {
        return empty;
      }
      throw new RequestException(ApiError.badJson("the request needs a JSON body"));
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new RequestException(ApiError.badJson("the body must be a JSON object, not null"));
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new RequestException(ApiError.badJson("unknown field '" + printable(e.getPropertyName()) + "'"));
    } catch (MismatchedInputException e) {
      // The innermost named field: an array's items are counted, not named.
      String field = null;
      for (var ref : e.getPath()) {
        field = ref.getFieldName() != null ? ref.getFieldName() : field;
      }
      throw new RequestException(
          ApiError.badJson(field == null ? "the body must be a JSON object of the documented fields" : "field '" + printable(field) + "' has the wrong type"));
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
      // Jackson's own text goes on with where it read from; the first clause is what the user needs.
      int cut = m.indexOf(" (");
      int src = m.indexOf(" at [Source");
      cut = cut < 0 ? src : src < 0 ? cut : Math.min(cut, src);
      throw new RequestException(ApiError.badJson("malformed JSON: " + printable(cut < 0 ? m : m.substring(0, cut))));
    } catch (java.io.IOException e) {
      throw new RequestException(ApiError.badJson("unreadable body: " + printable(e.getMessage())));
    }
  }

  /** A value echoed back: control characters replaced, cut to 100 characters. */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("[\\p{Cntrl}\\x{2028}\\x{2029}]", "?");
    return t.length() > 100 ? t.substring(0, 100) + "..." : t;
  }
}
