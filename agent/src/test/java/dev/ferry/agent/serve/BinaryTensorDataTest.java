package dev.ferry.agent.serve;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.TestVersions;
import dev.ferry.protocol.release.Datatype;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binary tensor data extension of the Open Inference Protocol: inputs as little-endian bytes
 * after a JSON header whose length the {@code Inference-Header-Content-Length} header gives, and
 * outputs the same way when asked for.
 */
@QuarkusTest
class BinaryTensorDataTest {
  private static final String HEADER = "Inference-Header-Content-Length";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[] ROWS = {1, 2, 3, 4, 0, 1, 0, -1};
  private static TestVersions.Linear linear;

  @Inject Models models;

  @BeforeEach
  void install() throws IOException {
    if (linear != null) {
      return;
    }
    Path dir = Files.createTempDirectory("ferry-binary-test");
    linear = TestVersions.linear(dir, "bin-linear", "1.0.0", 5);
    models.install("bin-linear", linear.version());
    models.install(
        "bin-words",
        TestVersions.identity(dir, "bin-words", Datatype.BYTES, 8, List.of(2L), List.of("a", "b")));
  }

  @Test
  void server_namesTheExtension() {
    given().get("/v2").then().statusCode(200).body("extensions", hasItem("binary_tensor_data"));
  }

  @Test
  void binaryInput_binaryOutput_carryTheSameNumbersAsJson() throws IOException {
    String header =
        "{\"id\":\"b-1\",\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"x\","
            + "\"shape\":[2,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":32}}]}";
    Response response = post("bin-linear", header, floats(ROWS));
    assertEquals(200, response.statusCode(), response.asString());
    assertEquals("application/octet-stream", response.contentType());
    byte[] body = response.asByteArray();
    int headerLength = Integer.parseInt(response.header(HEADER));
    JsonNode answer = JSON.readTree(Arrays.copyOf(body, headerLength));
    assertEquals("b-1", answer.get("id").asText());
    JsonNode y = answer.get("outputs").get(0);
    assertEquals("y", y.get("name").asText());
    assertEquals("[2,3]", y.get("shape").toString());
    assertEquals(24, y.get("parameters").get("binary_data_size").asInt());
    assertEquals(null, y.get("data"));
    assertEquals(headerLength + 24, body.length);
    float[] out = new float[6];
    ByteBuffer.wrap(body, headerLength, 24)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(out);
    assertEquals(expectedRows(), boxed(out));
  }

  @Test
  void binaryInput_jsonOutputUnlessAsked() {
    String header =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,4],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":32}}],"
            + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":false}}],"
            + "\"parameters\":{\"binary_data_output\":true}}";
    Response response = post("bin-linear", header, floats(ROWS));
    assertEquals(200, response.statusCode(), response.asString());
    assertEquals(null, response.header(HEADER));
    response.then().contentType(ContentType.JSON).body("outputs[0].data", equalTo(expectedRows()));
  }

  @Test
  void jsonInput_binaryOutputForOneOutput() {
    String body =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4,0,1,0,-1]}],"
            + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]}";
    Response response =
        given().contentType(ContentType.JSON).body(body).post("/v2/models/bin-linear/infer");
    assertEquals(200, response.statusCode(), response.asString());
    assertEquals(response.asByteArray().length, Integer.parseInt(response.header(HEADER)) + 24);
  }

  @Test
  void bytesTensors_roundTripAsLengthPrefixedStrings() throws IOException {
    String header =
        "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"x\",\"shape\":[2],"
            + "\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":16}}]}";
    byte[] data = concat(text("héllo"), text("ok"));
    assertEquals(16, data.length);
    Response response = post("bin-words", header, data);
    assertEquals(200, response.statusCode(), response.asString());
    int headerLength = Integer.parseInt(response.header(HEADER));
    byte[] body = response.asByteArray();
    assertEquals(
        Arrays.toString(data),
        Arrays.toString(Arrays.copyOfRange(body, headerLength, body.length)));
  }

  @Test
  void dataBeforeNameAndDatatype_isReadAllTheSame() {
    String body =
        "{\"inputs\":[{\"data\":[[1,2,3,4],[0,1,0,-1]],\"shape\":[2,4],\"datatype\":\"FP32\","
            + "\"name\":\"x\"}]}";
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v2/models/bin-linear/infer")
        .then()
        .statusCode(200)
        .body("outputs[0].data", equalTo(expectedRows()));
  }

  @Test
  void binarySizeThatDoesNotFitTheShape_isNamed() {
    assertBadRequest(
        binaryHeader(28),
        floats(ROWS),
        "input 'x' parameters.binary_data_size is 28, shape [2, 4] of FP32 takes 32 bytes");
  }

  @Test
  void binaryPartLongerThanTheInputsSay_isNamed() {
    assertBadRequest(
        binaryHeader(32),
        concat(floats(ROWS), new byte[4]),
        "the request has 36 bytes after its JSON header, its inputs' parameters.binary_data_size"
            + " add up to 32");
  }

  @Test
  void binaryPartShorterThanTheInputsSay_isNamed() {
    assertBadRequest(
        binaryHeader(32),
        Arrays.copyOf(floats(ROWS), 20),
        "input 'x' parameters.binary_data_size is 32, only 20 bytes of the request are left");
  }

  @Test
  void binarySizeWithoutTheHeader_isNamed() {
    given()
        .contentType(ContentType.JSON)
        .body(binaryHeader(32))
        .post("/v2/models/bin-linear/infer")
        .then()
        .statusCode(400)
        .body(
            "error",
            equalTo(
                "input 'x' has parameters.binary_data_size but the request has no binary part:"
                    + " send the length of its JSON in the "
                    + HEADER
                    + " header"));
  }

  @Test
  void headerLengthThatIsNoNumberOrTooLong_isNamed() {
    byte[] body = binaryHeader(32).getBytes(StandardCharsets.UTF_8);
    for (String bad : List.of("ten", "-1", String.valueOf(body.length + 1))) {
      given()
          .contentType("application/octet-stream")
          .header(HEADER, bad)
          .body(body)
          .post("/v2/models/bin-linear/infer")
          .then()
          .statusCode(400)
          .body(
              "error",
              equalTo(
                  "header "
                      + HEADER
                      + " must be a whole number from 0 to "
                      + body.length
                      + " (the body's length), got '"
                      + bad
                      + "'"));
    }
  }

  @Test
  void dataAndBinarySizeBoth_isNamed() {
    String header =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4,0,1,0,-1],"
            + "\"parameters\":{\"binary_data_size\":32}}]}";
    assertBadRequest(
        header, floats(ROWS), "input 'x' has both data and parameters.binary_data_size; send one");
  }

  @Test
  void malformedBytesElement_isNamed() {
    String header =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"BYTES\","
            + "\"parameters\":{\"binary_data_size\":9}}]}";
    byte[] data = concat(text("abc"), new byte[] {(byte) 200, 0});
    Response response = post("bin-words", header, data);
    assertEquals(400, response.statusCode());
    assertEquals(
        "input 'x' binary data ends before element 1 of 2", response.jsonPath().getString("error"));
  }

  @Test
  void bytesShapeFarBeyondTheBinaryPart_isNamedBeforeAnythingIsAllocated() {
    String header =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1500000000],\"datatype\":\"BYTES\","
            + "\"parameters\":{\"binary_data_size\":4}}]}";
    Response response = post("bin-words", header, new byte[4]);
    assertEquals(400, response.statusCode(), response.asString());
    assertEquals(
        "input 'x' parameters.binary_data_size is 4, shape [1500000000] of BYTES needs at least"
            + " 6000000000 bytes",
        response.jsonPath().getString("error"));
  }

  @Test
  void bytesElementThatIsNoUtf8_isNamed() {
    String header =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"BYTES\","
            + "\"parameters\":{\"binary_data_size\":12}}]}";
    byte[] notUtf8 =
        ByteBuffer.allocate(6)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(2)
            .put(new byte[] {(byte) 0xff, 0x41})
            .array();
    Response response = post("bin-words", header, concat(text("ok"), notUtf8));
    assertEquals(400, response.statusCode(), response.asString());
    assertEquals(
        "input 'x' binary element 1 is not UTF-8 text, which ONNX Runtime's strings need",
        response.jsonPath().getString("error"));
  }

  @Test
  void emptyBinaryInput_withTheHeaderAsTritonClientSendsIt_isServed() throws IOException {
    String header =
        "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"x\","
            + "\"shape\":[0,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":0}}]}";
    Response response = post("bin-linear", header, new byte[0]);
    assertEquals(200, response.statusCode(), response.asString());
    int headerLength = Integer.parseInt(response.header(HEADER));
    JsonNode y =
        JSON.readTree(Arrays.copyOf(response.asByteArray(), headerLength)).get("outputs").get(0);
    assertEquals("[0,3]", y.get("shape").toString());
    assertEquals(0, y.get("parameters").get("binary_data_size").asInt());
    assertEquals(headerLength, response.asByteArray().length);
  }

  private static String binaryHeader(int size) {
    return "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,4],\"datatype\":\"FP32\","
        + "\"parameters\":{\"binary_data_size\":"
        + size
        + "}}]}";
  }

  private static void assertBadRequest(String header, byte[] data, String message) {
    Response response = post("bin-linear", header, data);
    assertEquals(400, response.statusCode(), response.asString());
    assertEquals(message, response.jsonPath().getString("error"));
  }

  private static Response post(String model, String header, byte[] data) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return given()
        .contentType("application/octet-stream")
        .header(HEADER, json.length)
        .body(concat(json, data))
        .post("/v2/models/" + model + "/infer");
  }

  private static byte[] floats(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  private static byte[] text(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + bytes.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(bytes.length)
        .put(bytes)
        .array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static List<Float> boxed(float[] values) {
    List<Float> list = new ArrayList<>();
    for (float v : values) {
      list.add(v);
    }
    return list;
  }

  private static List<Float> expectedRows() {
    return linear.expectedRows(new double[] {1, 2, 3, 4}, new double[] {0, 1, 0, -1});
  }
}
