package dev.ferry.protocol.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawTensorTest {
  private static final JsonCodec CODEC = new JsonCodec();

  /** 0.5 and -1.25 as little-endian FP32. */
  private static byte[] twoFloats() {
    return ByteBuffer.allocate(8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(0.5f)
        .putFloat(-1.25f)
        .array();
  }

  private static String golden(String tensor) {
    return "{\"schema\":\"ferry.golden/v1\",\"cases\":[{\"inputs\":["
        + tensor
        + "],\"outputs\":[]}]}";
  }

  private static String decodeFailure(String tensor) {
    byte[] payload = golden(tensor).getBytes(StandardCharsets.UTF_8);
    return assertThrows(
            MalformedMessageException.class, () -> CODEC.decode(payload, GoldenVectors.class))
        .getMessage();
  }

  @Test
  void raw_roundTripsAsBase64OfTheLittleEndianBytes() {
    Tensor tensor = Tensor.ofRaw("x", Datatype.FP32, List.of(1L, 2L), twoFloats());
    GoldenVectors golden =
        new GoldenVectors(List.of(new GoldenCase(List.of(tensor), List.of())), Map.of());
    String json = new String(CODEC.encode(golden), StandardCharsets.UTF_8);
    assertEquals(
        golden("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"raw\":\"AAAAPwAAoL8=\"}")
            .replace("}]}", "}],\"tolerances\":{}}"),
        json);
    GoldenVectors back = CODEC.decode(json.getBytes(StandardCharsets.UTF_8), GoldenVectors.class);
    assertEquals(golden, back);
    Tensor decoded = back.cases().get(0).inputs().get(0);
    assertArrayEquals(twoFloats(), decoded.raw());
    assertNull(decoded.data());
  }

  @Test
  void numbers_stillDecodeAsBefore() {
    GoldenVectors back =
        CODEC.decode(
            golden("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0.5,-1.25]}")
                .getBytes(StandardCharsets.UTF_8),
            GoldenVectors.class);
    Tensor decoded = back.cases().get(0).inputs().get(0);
    assertEquals(List.of(0.5, -1.25), decoded.data());
    assertNull(decoded.raw());
  }

  @Test
  void raw_mustHoldShapeTimesElementSizeBytes() {
    assertEquals(
        "ferry.golden/v1: cases[0].inputs[0].raw of tensor 'x' must hold 12 bytes"
            + " (3 FP32 elements of 4 bytes for shape [1, 3]), got 8",
        decodeFailure(
            "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"raw\":\"AAAAPwAAoL8=\"}"));
    FieldException e =
        assertThrows(
            FieldException.class,
            () -> Tensor.ofRaw("y", Datatype.INT64, List.of(2L), new byte[15]));
    assertEquals(
        "raw of tensor 'y' must hold 16 bytes (2 INT64 elements of 8 bytes for shape [2]), got 15",
        e.getMessage());
  }

  @Test
  void raw_mustBeBase64Text() {
    assertEquals(
        "ferry.golden/v1: cases[0].inputs[0].raw must be base64 text, got an array",
        decodeFailure("{\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[2],\"raw\":[1,2]}"));
    assertEquals(
        "ferry.golden/v1: cases[0].inputs[0].raw is invalid: not base64: Failed to decode"
            + " VALUE_STRING as base64 (MIME-NO-LINEFEEDS): Illegal character '!' (code 0x21) in"
            + " base64 content",
        decodeFailure("{\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[2],\"raw\":\"A!==\"}"));
  }

  @Test
  void raw_comesAloneAndNeverForBytes() {
    assertEquals(
        "ferry.golden/v1: cases[0].inputs[0].raw of tensor 'x' cannot come with data: give one of"
            + " the two",
        decodeFailure(
            "{\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[1],\"raw\":\"AQ==\"}"));
    assertEquals(
        "ferry.golden/v1: cases[0].inputs[0].raw of tensor 'x' cannot hold BYTES elements: give"
            + " them as data",
        decodeFailure("{\"name\":\"x\",\"datatype\":\"BYTES\",\"shape\":[1],\"raw\":\"AQ==\"}"));
    assertEquals(
        "ferry.golden/v1: cases[0].inputs[0].data is missing",
        decodeFailure("{\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[1]}"));
  }

  @Test
  void equality_comparesTheBytes() {
    Tensor a = Tensor.ofRaw("x", Datatype.FP32, List.of(2L), twoFloats());
    assertEquals(a, Tensor.ofRaw("x", Datatype.FP32, List.of(2L), twoFloats()));
    assertEquals(
        a.hashCode(), Tensor.ofRaw("x", Datatype.FP32, List.of(2L), twoFloats()).hashCode());
    assertNotEquals(a, Tensor.ofRaw("x", Datatype.FP32, List.of(2L), new byte[8]));
    assertNotEquals(a, new Tensor("x", Datatype.FP32, List.of(2L), List.of(0.5, -1.25)));
    assertEquals("Tensor[x FP32[2], 8 raw bytes]", a.toString());
  }

  @Test
  void elementBytes_followTheBinaryExtension() {
    assertEquals(1, Datatype.BOOL.elementBytes());
    assertEquals(2, Datatype.BF16.elementBytes());
    assertEquals(4, Datatype.UINT32.elementBytes());
    assertEquals(8, Datatype.FP64.elementBytes());
    assertEquals(0, Datatype.BYTES.elementBytes());
    assertEquals(24, Tensor.rawSize(Datatype.INT16, List.of(3L, 4L)));
  }
}
