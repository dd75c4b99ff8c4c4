package dev.ferry.agent.serve;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.TestVersions;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.LittleEndianElements;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Binary inputs of every fixed-width datatype, which ONNX Runtime reads from the gathered body
 * itself ({@link InferBody}), answer as the same numbers sent as JSON do.
 */
@QuarkusTest
class BinaryDatatypesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Long> SHAPE = List.of(2L, 3L);

  /** Each datatype and its ONNX element type. */
  private static final Map<Datatype, Integer> ELEMENT_TYPES = new LinkedHashMap<>();

  static {
    ELEMENT_TYPES.put(Datatype.FP32, 1);
    ELEMENT_TYPES.put(Datatype.UINT8, 2);
    ELEMENT_TYPES.put(Datatype.INT8, 3);
    ELEMENT_TYPES.put(Datatype.INT16, 5);
    ELEMENT_TYPES.put(Datatype.INT32, 6);
    ELEMENT_TYPES.put(Datatype.INT64, 7);
    ELEMENT_TYPES.put(Datatype.BOOL, 9);
    ELEMENT_TYPES.put(Datatype.FP16, 10);
    ELEMENT_TYPES.put(Datatype.FP64, 11);
    ELEMENT_TYPES.put(Datatype.BF16, 16);
  }

  private static boolean installed;

  @Inject Models models;

  @BeforeEach
  void install() throws IOException {
    if (installed) {
      return;
    }
    Path dir = Files.createTempDirectory("ferry-datatypes-test");
    for (Map.Entry<Datatype, Integer> type : ELEMENT_TYPES.entrySet()) {
      String model = model(type.getKey());
      models.install(
          model,
          TestVersions.identity(
              dir, model, type.getKey(), type.getValue(), SHAPE, sample(type.getKey())));
    }
    installed = true;
  }

  @Test
  void binaryInputOfEachDatatype_answersAsJsonDoes() throws IOException {
    int checked = 0;
    for (Datatype datatype : ELEMENT_TYPES.keySet()) {
      byte[] sent = raw(new Tensor("x", datatype, SHAPE, sample(datatype)));
      byte[] binaryAnswer = binary(datatype, sent);
      List<Object> jsonAnswer = json(datatype);
      assertArrayEquals(sent, binaryAnswer, datatype.name());
      assertArrayEquals(
          raw(new Tensor("y", datatype, SHAPE, jsonAnswer)), binaryAnswer, datatype.name());
      checked++;
    }
    assertEquals(10, checked);
  }

  private static String model(Datatype datatype) {
    return "dt-" + datatype.name().toLowerCase(Locale.ROOT);
  }

  private static List<Object> sample(Datatype datatype) {
    return switch (datatype) {
      case FP32, FP64, FP16, BF16 -> List.of(1.5, -2.0, 0.25, 3.0, 0.0, -0.5);
      case UINT8 -> List.of(1L, 2L, 3L, 250L, 5L, 6L);
      case BOOL -> List.of(true, false, true, true, false, false);
      default -> List.of(1L, -2L, 3L, -4L, 5L, -6L);
    };
  }

  private static byte[] raw(Tensor tensor) {
    return LittleEndianElements.encode(ArrayTensor.of(tensor));
  }

  /** The output's bytes of a binary request asking for a binary answer. */
  private static byte[] binary(Datatype datatype, byte[] data) throws IOException {
    byte[] header =
        ("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"x\",\"shape\":"
                + SHAPE
                + ",\"datatype\":\""
                + datatype
                + "\",\"parameters\":{\"binary_data_size\":"
                + data.length
                + "}}]}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOf(header, header.length + data.length);
    System.arraycopy(data, 0, body, header.length, data.length);
    Response response =
        given()
            .contentType("application/octet-stream")
            .header(RequestParser.HEADER_LENGTH, header.length)
            .body(body)
            .post("/v2/models/" + model(datatype) + "/infer");
    assertEquals(200, response.statusCode(), response.asString());
    byte[] answer = response.asByteArray();
    int headerLength = Integer.parseInt(response.header(RequestParser.HEADER_LENGTH));
    return Arrays.copyOfRange(answer, headerLength, answer.length);
  }

  /** The output's data of a JSON request. */
  private static List<Object> json(Datatype datatype) throws IOException {
    String body =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":"
            + SHAPE
            + ",\"datatype\":\""
            + datatype
            + "\",\"data\":"
            + JSON.writeValueAsString(sample(datatype))
            + "}]}";
    Response response =
        given()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/v2/models/" + model(datatype) + "/infer");
    assertEquals(200, response.statusCode(), response.asString());
    JsonNode data = JSON.readTree(response.asByteArray()).get("outputs").get(0).get("data");
    return JSON.convertValue(
        data, JSON.getTypeFactory().constructCollectionType(List.class, Object.class));
  }
}
