package dev.ferry.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SessionHintsTest {
  private static final JsonCodec CODEC = new JsonCodec();

  private static void assertRefused(String message, Executable hints) {
    assertEquals(message, assertThrows(FieldException.class, hints).getMessage());
  }

  @Test
  void threads_mustBeBetween0And256() {
    assertRefused(
        "intraOpThreads must be 0..256, got 257",
        () -> new SessionHints(257, null, null, null, null, null));
    assertRefused(
        "interOpThreads must be 0..256, got -1",
        () -> new SessionHints(null, -1, null, null, null, null));
    assertEquals(256, new SessionHints(256, 0, null, null, null, null).intraOpThreads());
  }

  @Test
  void graphOptimization_mustBeALevel() {
    assertRefused(
        "graphOptimization must be one of [DISABLE, BASIC, EXTENDED, ALL], got 'FAST'",
        () -> new SessionHints(null, null, "FAST", null, null, null));
  }

  @Test
  void providerOptions_needProviderNamesAndOptionKeys() {
    assertRefused(
        "providerOptions names must match [A-Z][A-Z0-9_]{0,31}, got 'cuda'",
        () -> new SessionHints(null, null, null, null, null, Map.of("cuda", Map.of())));
    assertRefused(
        "providerOptions.CUDA must match [A-Za-z][A-Za-z0-9_.]{0,63}, got 'a b'",
        () -> new SessionHints(null, null, null, null, null, Map.of("CUDA", Map.of("a b", "1"))));
  }

  @Test
  void none_isWrittenAsAnEmptyObjectAsBefore() {
    String json = new String(CODEC.encode(SessionHints.NONE), StandardCharsets.UTF_8);
    assertEquals("{}", json);
  }

  @Test
  void absentHints_inServingJsonAreNone() {
    ServingSpec spec = CODEC.decode(servingJson(""), ServingSpec.class);
    assertEquals(SessionHints.NONE, spec.sessionHints());
  }

  @Test
  void wrongHint_inServingJsonNamesTheField() {
    MalformedMessageException e =
        assertThrows(
            MalformedMessageException.class,
            () ->
                CODEC.decode(
                    servingJson(",\"sessionHints\":{\"intraOpThreads\":999}"), ServingSpec.class));
    assertTrue(e.getMessage().contains("intraOpThreads must be 0..256, got 999"), e.getMessage());
  }

  private static byte[] servingJson(String extra) {
    return ("{\"schema\":\"ferry.serving/v1\",\"model\":\"m\",\"version\":\"1.0.0\","
            + "\"platform\":\"onnx_onnxv1\",\"opset\":17,"
            + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1]}],"
            + "\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[1]}]"
            + extra
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
