package dev.ferry.agent.serve;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.TestVersions;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.testing.OnnxModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InferenceResourceTest {
  private static final String ROWS = "[1, 2, 3, 4, 0, 1, 0, -1]";
  private static TestVersions.Linear linear;
  private static Path dir;

  @Inject Models models;

  @BeforeEach
  void install() throws IOException {
    if (linear != null) {
      return;
    }
    dir = Files.createTempDirectory("ferry-serve-test");
    linear = TestVersions.linear(dir, "linear", "1.0.0", 1);
    models.install("linear", linear.version());
    models.install("swapper", TestVersions.linear(dir, "swapper", "1.0.0", 2).version());
    models.install("adder", TestVersions.adder(dir, "adder"));
    identity("ints", Datatype.INT64, OnnxModels.INT64, List.of(2L, 2L), List.of(1L, 2L, 3L, 4L));
    identity("flags", Datatype.BOOL, OnnxModels.BOOL, List.of(3L), List.of(true, false, true));
    identity("words", Datatype.BYTES, 8, List.of(2L), List.of("a", "b"));
    identity("small", Datatype.INT8, OnnxModels.INT8, List.of(2L), List.of(-1L, 1L));
  }

  @Test
  void server_answersMetadataAndHealth() {
    given()
        .get("/v2")
        .then()
        .statusCode(200)
        .body("name", equalTo("ferry-agent"))
        .body("extensions", equalTo(List.of("binary_tensor_data")));
    given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
    given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
  }

  @Test
  void model_answersMetadata() {
    given()
        .get("/v2/models/linear")
        .then()
        .statusCode(200)
        .body("name", equalTo("linear"))
        .body("versions", equalTo(List.of("1.0.0")))
        .body("platform", equalTo("onnx_onnxv1"))
        .body("inputs[0].name", equalTo("x"))
        .body("inputs[0].datatype", equalTo("FP32"))
        .body("inputs[0].shape", equalTo(List.of(-1, 4)))
        .body("outputs[0].name", equalTo("y"));
    given()
        .get("/v2/models/linear/versions/1.0.0")
        .then()
        .statusCode(200)
        .body("name", equalTo("linear"));
    given().get("/v2/models/linear/ready").then().statusCode(200).body("ready", equalTo(true));
    given()
        .get("/v2/models/linear/versions/1.0.0/ready")
        .then()
        .statusCode(200)
        .body("ready", equalTo(true));
  }

  @Test
  void model_unknownIs404() {
    // other test classes in this application install models of their own
    assertTrue(
        models.names().containsAll(List.of("adder", "linear", "words")), models.names().toString());
    String message = "unknown model 'nope'; serving " + models.names();
    given().get("/v2/models/nope").then().statusCode(404).body("error", equalTo(message));
    given().get("/v2/models/nope/ready").then().statusCode(404).body("error", equalTo(message));
    infer("/v2/models/nope/infer", flat(ROWS)).statusCode(404).body("error", equalTo(message));
  }

  @Test
  void model_stillLoadingFromTheCacheAtStart_is503WithRetryAfter_thenServes() {
    String message = "model 'linear' is loading from the device's cache as the agent starts; retry";
    models.restoring(java.util.Set.of("linear"));
    try {
      given()
          .get("/v2/models/linear/ready")
          .then()
          .statusCode(503)
          .header("Retry-After", "1")
          .body("error", equalTo(message));
      infer("/v2/models/linear/infer", flat(ROWS))
          .statusCode(503)
          .header("Retry-After", "1")
          .body("error", equalTo(message));
      given().get("/v2/models/adder/ready").then().statusCode(200);
    } finally {
      models.restored();
    }
    given().get("/v2/models/linear/ready").then().statusCode(200);
    infer("/v2/models/linear/infer", flat(ROWS)).statusCode(200);
  }

  @Test
  void version_notServingIs404() {
    String message = "model 'linear' has no version '9.9.9' serving; serving [1.0.0]";
    given()
        .get("/v2/models/linear/versions/9.9.9")
        .then()
        .statusCode(404)
        .body("error", equalTo(message));
    given()
        .get("/v2/models/linear/versions/9.9.9/ready")
        .then()
        .statusCode(404)
        .body("error", equalTo(message));
    infer("/v2/models/linear/versions/9.9.9/infer", flat(ROWS))
        .statusCode(404)
        .body("error", equalTo(message));
  }

  @Test
  void infer_flatData() {
    infer("/v2/models/linear/infer", "{\"id\": \"req-1\", " + flat(ROWS).substring(1))
        .statusCode(200)
        .body("model_name", equalTo("linear"))
        .body("model_version", equalTo("1.0.0"))
        .body("id", equalTo("req-1"))
        .body("outputs[0].name", equalTo("y"))
        .body("outputs[0].datatype", equalTo("FP32"))
        .body("outputs[0].shape", equalTo(List.of(2, 3)))
        .body("outputs[0].data", equalTo(expectedRows()));
  }

  @Test
  void infer_isCountedPerModelVersionInPrometheusText() {
    String series =
        "ferry_inference_requests_total{model=\"adder\",provider=\"CPU\",variant=\"\",version=\"1.0.0\"}";
    double before = counter(series);
    infer("/v2/models/linear/infer", flat(ROWS)).statusCode(200);
    for (int i = 0; i < 3; i++) {
      infer(
              "/v2/models/adder/infer",
              "{\"inputs\":[{\"name\":\"nope\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}")
          .statusCode(400);
    }
    assertEquals(before + 3, counter(series), "requests that reached the version count");
    assertTrue(
        counter(
                "ferry_inference_errors_total{model=\"adder\",provider=\"CPU\",reason=\"invalid_request\",variant=\"\",version=\"1.0.0\"}")
            >= 3);
    assertTrue(
        given()
            .get("/q/metrics")
            .then()
            .extract()
            .asString()
            .contains("ferry_inference_seconds_bucket{"),
        "latency histogram");
  }

  private static double counter(String series) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return text.lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  @Test
  void infer_nestedData() {
    infer("/v2/models/linear/versions/1.0.0/infer", flat("[[1, 2, 3, 4], [0, 1, 0, -1]]"))
        .statusCode(200)
        .body("id", nullValue())
        .body("model_version", equalTo("1.0.0"))
        .body("outputs[0].data", equalTo(expectedRows()));
  }

  @Test
  void infer_namedOutputs() {
    String body =
        "{\"inputs\": ["
            + x("[1, 4]", "FP32", "[1, 2, 3, 4]")
            + "], \"outputs\": [{\"name\": \"y\"}]}";
    infer("/v2/models/linear/infer", body).statusCode(200).body("outputs.size()", equalTo(1));
  }

  @Test
  void infer_otherDatatypesRoundTrip() {
    infer("/v2/models/ints/infer", one("[2, 2]", "INT64", "[[1, 2], [3, 4]]"))
        .statusCode(200)
        .body("outputs[0].data", equalTo(List.of(1, 2, 3, 4)));
    infer("/v2/models/flags/infer", one("[3]", "BOOL", "[true, false, false]"))
        .statusCode(200)
        .body("outputs[0].data", equalTo(List.of(true, false, false)));
    infer("/v2/models/words/infer", one("[2]", "BYTES", "[\"hi\", \"there\"]"))
        .statusCode(200)
        .body("outputs[0].data", equalTo(List.of("hi", "there")));
    infer("/v2/models/small/infer", one("[2]", "INT8", "[-128, 127]"))
        .statusCode(200)
        .body("outputs[0].data", equalTo(List.of(-128, 127)));
  }

  @Test
  void infer_rejectsBadJson() {
    assertBadRequest(
        "linear", "{\"inputs\": [", "request body is not valid JSON at line 1, column 13");
  }

  @Test
  void infer_rejectsBytesThatAreNoJsonText() {
    // found by fuzzing (RELIABILITY.md F6): was a 500 with a stack trace in the log
    assertBadRequest(
        "linear",
        "\u0000d\u0000\u0000",
        "request body is not valid JSON: its bytes are no UTF-8, UTF-16 or UTF-32 text");
  }

  @Test
  void infer_rejectsBodyThatIsNoObject() {
    assertBadRequest("linear", "[]", "request body must be a JSON object, got ARRAY");
  }

  @Test
  void infer_rejectsMissingInputs() {
    assertBadRequest("linear", "{}", "inputs must be a non-empty array, got null");
  }

  @Test
  void infer_rejectsNonStringId() {
    assertBadRequest(
        "linear", "{\"id\": 5, " + flat(ROWS).substring(1), "id must be a string, got 5");
  }

  @Test
  void infer_rejectsUnknownInput() {
    assertBadRequest(
        "linear",
        "{\"inputs\": [{\"name\": \"z\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}",
        "unknown input 'z'; model 'linear' takes [x]");
  }

  @Test
  void infer_rejectsMissingInput() {
    assertBadRequest(
        "adder",
        "{\"inputs\": [{\"name\": \"a\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}",
        "missing input 'b'; model 'adder' takes [a, b]");
  }

  @Test
  void infer_rejectsInputGivenTwice() {
    String x = x("[1, 4]", "FP32", "[1, 2, 3, 4]");
    assertBadRequest("linear", "{\"inputs\": [" + x + ", " + x + "]}", "input 'x' appears twice");
  }

  @Test
  void infer_rejectsWrongShape() {
    assertBadRequest(
        "linear",
        one("[2, 3]", "FP32", "[1, 2, 3, 4, 5, 6]"),
        "input 'x' shape [2, 3] does not fit [-1, 4]");
  }

  @Test
  void infer_rejectsNegativeShape() {
    assertBadRequest(
        "linear",
        one("[-1, 4]", "FP32", "[1, 2, 3, 4]"),
        "input 'x' shape must be an array of non-negative integers, got [-1,4]");
  }

  @Test
  void infer_rejectsWrongDatatype() {
    assertBadRequest(
        "linear",
        one("[1, 4]", "INT64", "[1, 2, 3, 4]"),
        "input 'x' datatype is INT64, model 'linear' takes FP32");
  }

  @Test
  void infer_rejectsUnknownDatatype() {
    assertBadRequest(
        "linear",
        one("[1, 4]", "FLOAT", "[1, 2, 3, 4]"),
        "input 'x' datatype \"FLOAT\" is not one of [BOOL, UINT8, INT8, INT16, INT32, INT64, FP16,"
            + " FP32, FP64, BF16, BYTES]");
  }

  @Test
  void infer_rejectsDataLengthMismatch() {
    assertBadRequest(
        "linear",
        one("[1, 4]", "FP32", "[1, 2, 3]"),
        "input 'x' data holds 3 elements, shape [1, 4] needs 4");
  }

  @Test
  void infer_rejectsElementOfWrongType() {
    assertBadRequest(
        "linear",
        one("[1, 4]", "FP32", "[\"a\", 2, 3, 4]"),
        "input 'x' data[0] must be a finite number in the range of FP32, got \"a\"");
    assertBadRequest(
        "flags",
        one("[3]", "BOOL", "[true, 1, false]"),
        "input 'x' data[1] must be true or false for BOOL, got 1");
  }

  @Test
  void infer_rejectsIntegerOutOfRange() {
    assertBadRequest(
        "small",
        one("[2]", "INT8", "[1, 300]"),
        "input 'x' data[1] must be a whole number in [-128, 127] for INT8, got 300");
  }

  @Test
  void infer_rejectsUnknownOutput() {
    String body =
        "{\"inputs\": ["
            + x("[1, 4]", "FP32", "[1, 2, 3, 4]")
            + "], \"outputs\": [{\"name\": \"q\"}]}";
    assertBadRequest("linear", body, "unknown output 'q'; model 'linear' returns [y]");
  }

  @Test
  void infer_rejectsBodyOverTheLimit() throws IOException {
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      String head =
          "POST /v2/models/linear/infer HTTP/1.1\r\nHost: localhost\r\n"
              + "Content-Type: application/json\r\nContent-Length: 17000000\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertEquals("HTTP/1.1 413 Request Entity Too Large", reader.readLine());
    }
  }

  @Test
  void infer_aFailureTheRequestCausedIs400AndNotCounted() {
    LoadedVersion adder = models.slot("adder").orElseThrow().active();
    long errors = adder.errors();
    String body =
        "{\"inputs\": [{\"name\": \"a\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]},"
            + " {\"name\": \"b\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}";
    // ONNX Runtime's broadcast failure; the version still passes its golden cases (Blame)
    infer("/v2/models/adder/infer", body)
        .statusCode(400)
        .body("error", startsWith("model 'adder' version '1.0.0' refused the request: "));
    assertEquals(errors, adder.errors());
  }

  @Test
  void swap_switchesModelVersionAndKeepsTheFallbackReachable() {
    infer("/v2/models/swapper/infer", flat(ROWS))
        .statusCode(200)
        .body("model_version", equalTo("1.0.0"));
    models.install("swapper", TestVersions.linear(dir, "swapper", "2.0.0", 3).version());
    infer("/v2/models/swapper/infer", flat(ROWS))
        .statusCode(200)
        .body("model_version", equalTo("2.0.0"));
    given().get("/v2/models/swapper").then().body("versions", equalTo(List.of("2.0.0", "1.0.0")));
    infer("/v2/models/swapper/versions/1.0.0/infer", flat(ROWS))
        .statusCode(200)
        .body("model_version", equalTo("1.0.0"));
  }

  private void identity(
      String name, Datatype datatype, int elemType, List<Long> shape, List<?> sample) {
    models.install(name, TestVersions.identity(dir, name, datatype, elemType, shape, sample));
  }

  private static List<Float> expectedRows() {
    return linear.expectedRows(new double[] {1, 2, 3, 4}, new double[] {0, 1, 0, -1});
  }

  private static String flat(String data) {
    return one("[2, 4]", "FP32", data);
  }

  private static String one(String shape, String datatype, String data) {
    return "{\"inputs\": [" + x(shape, datatype, data) + "]}";
  }

  private static String x(String shape, String datatype, String data) {
    return "{\"name\": \"x\", \"shape\": "
        + shape
        + ", \"datatype\": \""
        + datatype
        + "\", \"data\": "
        + data
        + "}";
  }

  private static void assertBadRequest(String model, String body, String message) {
    infer("/v2/models/" + model + "/infer", body).statusCode(400).body("error", equalTo(message));
  }

  private static ValidatableResponse infer(String path, String body) {
    return given().contentType(ContentType.JSON).body(body).post(path).then();
  }
}
