package gaiola.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile request bodies: each is refused whole with a 4xx, a stable code and a one-line message. */
class ApiTest {
  private static ApiError refusal(String body, Class<?> type) {
    try {
      Api.read(body.getBytes(StandardCharsets.UTF_8), type, null);
    } catch (Api.RequestException e) {
      return e.error();
    }
    throw new AssertionError("accepted: " + body);
  }

  @Test
  void aGoodExecRequestReads() throws Exception {
    Api.ExecRequest r = Api.read("{\"argv\":[\"echo\",\"hi\"]}".getBytes(StandardCharsets.UTF_8), Api.ExecRequest.class, null);
    r.check();
    assertThat(r.argv()).containsExactly("echo", "hi");
  }

  @Test
  void unknownFieldsAreRefusedByName() {
    ApiError e = refusal("{\"argv\":[\"x\"],\"sudo\":true}", Api.ExecRequest.class);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("bad-request");
    assertThat(e.message()).isEqualTo("unknown field 'sudo'");
  }

  @Test
  void wrongTypesAreRefusedWithoutCoercion() {
    assertThat(refusal("{\"argv\":\"echo hi\"}", Api.ExecRequest.class).message()).isEqualTo("field 'argv' has the wrong type");
    assertThat(refusal("{\"argv\":[1,2]}", Api.ExecRequest.class).message()).contains("wrong type");
    assertThat(refusal("{\"name\":\"a\",\"method\":\"busybox\",\"context\":\"5\"}", Api.BuildRequest.class).message())
        .isEqualTo("field 'context' has the wrong type");
    assertThat(refusal("[]", Api.ExecRequest.class).code()).isEqualTo("bad-request");
    assertThat(refusal("\"text\"", Api.ExecRequest.class).code()).isEqualTo("bad-request");
  }

  @Test
  void malformedJsonTrailingDataDuplicateKeysAndNullAreRefused() {
    assertThat(refusal("{\"argv\":[\"x\"]", Api.ExecRequest.class).message()).startsWith("malformed JSON").doesNotContain("Source");
    assertThat(refusal("{\"argv\":[\"x\"]} {}", Api.ExecRequest.class).code()).isEqualTo("bad-request");
    assertThat(refusal("{\"argv\":[\"x\"],\"argv\":[\"y\"]}", Api.ExecRequest.class).message()).startsWith("malformed JSON");
    assertThat(refusal("null", Api.ExecRequest.class).code()).isEqualTo("bad-request");
    assertThat(refusal("   ", Api.ExecRequest.class).message()).isEqualTo("the request needs a JSON body");
    assertThat(refusal("\u0000\u0001{", Api.ExecRequest.class).message()).doesNotContain("\u0000");
  }

  @Test
  void aBodyLargerThanTheLimitIsTooLarge() {
    String big = "{\"argv\":[\"" + "a".repeat(ApiError.MAX_BODY) + "\"]}";
    ApiError e = refusal(big, Api.ExecRequest.class);
    assertThat(e.status()).isEqualTo(413);
    assertThat(e.code()).isEqualTo("too-large");
  }

  @Test
  void execArgumentsAreChecked() throws Exception {
    for (String body : List.of("{\"argv\":[]}", "{}", "{\"argv\":null}", "{\"argv\":[\"a\\u0000b\"]}", "{\"argv\":[null]}")) {
      Api.ExecRequest r = Api.read(body.getBytes(StandardCharsets.UTF_8), Api.ExecRequest.class, null);
      assertThatThrownBy(r::check).as(body).isInstanceOf(Api.RequestException.class);
    }
    String many = "{\"argv\":[" + "\"a\",".repeat(Api.ExecRequest.MAX_ARGS) + "\"a\"]}";
    Api.ExecRequest r = Api.read(many.getBytes(StandardCharsets.UTF_8), Api.ExecRequest.class, null);
    assertThatThrownBy(r::check).hasMessageContaining("at most");
  }

  @Test
  void aStreamedExecsHeadChecksArgvUserAndTerm() throws Exception {
    Api.ExecStreamRequest ok = Api.read(
        "{\"argv\":[\"id\"],\"user\":\"www-data\",\"term\":\"xterm-256color\"}".getBytes(StandardCharsets.UTF_8),
        Api.ExecStreamRequest.class, null);
    ok.check();
    Api.read("{\"argv\":[\"id\"],\"user\":\"33:33\"}".getBytes(StandardCharsets.UTF_8), Api.ExecStreamRequest.class, null).check();
    for (String body : List.of("{\"argv\":[]}", "{\"argv\":[\"id\"],\"user\":\"../root\"}",
        "{\"argv\":[\"id\"],\"user\":\"-u\"}", "{\"argv\":[\"id\"],\"term\":\"x\\nterm\"}",
        "{\"argv\":[\"id\"],\"term\":\"\"}")) {
      Api.ExecStreamRequest r = Api.read(body.getBytes(StandardCharsets.UTF_8), Api.ExecStreamRequest.class, null);
      assertThatThrownBy(r::check).as(body).isInstanceOf(Api.RequestException.class);
    }
    assertThat(refusal("{\"argv\":[\"id\"],\"tty\":true}", Api.ExecStreamRequest.class).message()).isEqualTo("unknown field 'tty'");
  }

  @Test
  void anEmptyBodyIsTheEmptyRequestAndAnythingElseMustBeAnEmptyObject() throws Exception {
    assertThat(Api.read(new byte[0], Api.Empty.class, new Api.Empty())).isEqualTo(new Api.Empty());
    assertThat(Api.read("{}".getBytes(StandardCharsets.UTF_8), Api.Empty.class, new Api.Empty())).isEqualTo(new Api.Empty());
    assertThatThrownBy(() -> Api.read("{\"force\":true}".getBytes(StandardCharsets.UTF_8), Api.Empty.class, new Api.Empty()))
        .isInstanceOf(Api.RequestException.class).hasMessage("unknown field 'force'");
  }

  @Test
  void echoedValuesAreCutAndFreeOfControlCharacters() {
    assertThat(Api.printable("a\nb\u001b[31m")).isEqualTo("a?b?[31m");
    assertThat(Api.printable("x".repeat(500))).hasSize(103);
    assertThat(Api.printable(null)).isEmpty();
  }

  @Test
  void engineFailuresMapToStatusesAndBackToTheSameException() {
    gaiola.error.GaiolaException nf = new gaiola.error.NotFoundException("guest 'x' does not exist", "see 'gaiola list'");
    ApiError e = ApiError.of(nf);
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.oneLine()).isEqualTo(nf.oneLine());
    var node = Api.MAPPER.valueToTree(e);
    gaiola.error.GaiolaException back = DaemonClient.failure(node);
    assertThat(back).isInstanceOf(gaiola.error.NotFoundException.class);
    assertThat(back.oneLine()).isEqualTo(nf.oneLine());
    assertThat(back.exitCode()).isEqualTo(nf.exitCode());
    assertThat(ApiError.of(new gaiola.error.StateException("busy", null)).status()).isEqualTo(409);
  }
}
