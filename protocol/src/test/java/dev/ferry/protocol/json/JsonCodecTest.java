package dev.ferry.protocol.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.Samples;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.Presence;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.release.ReleaseStatement;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private final JsonCodec codec = new JsonCodec();

  /** A presence whose type allows 64 bytes. */
  @Schema("ferry.presence/v1")
  @MaxBytes(64)
  record SmallPresence(String deviceId) {}

  /** A presence whose type allows 16 bytes. */
  @Schema("ferry.presence/v1")
  @MaxBytes(16)
  record TinyPresence(String deviceId) {}

  /** A type with an impossible cap. */
  @MaxBytes(0)
  record NoRoom(String deviceId) {}

  /** A type that declares no cap. */
  record Undeclared(String deviceId) {}

  private String reject(String json, Class<?> type) {
    return reject(codec, json.getBytes(StandardCharsets.UTF_8), type);
  }

  private static String reject(JsonCodec codec, byte[] payload, Class<?> type) {
    return assertThrows(MalformedMessageException.class, () -> codec.decode(payload, type))
        .getMessage();
  }

  private String presence(String fields) {
    return "{\"schema\":\"ferry.presence/v1\"," + fields + "}";
  }

  @Test
  void decode_rejectsBytesInNoEncodingJsonMayUse() {
    // found by fuzzing (RELIABILITY.md F6): Jackson's encoding detection throws a plain IOException
    assertEquals(
        "ferry.event/v1: malformed JSON: Unsupported UCS-4 endianness (3412) detected",
        reject(codec, new byte[] {0, 0x64, 0, 0}, DeviceEvent.class));
    assertEquals(
        "ferry.desired/v1: malformed JSON: Unsupported UCS-4 endianness (3412) detected",
        reject(codec, new byte[] {0, 0x7b, 0, 0}, DesiredState.class));
  }

  @Test
  void encode_writesSchemaFirst() {
    String json = new String(codec.encode(Samples.presence()), StandardCharsets.UTF_8);
    assertEquals(
        "{\"schema\":\"ferry.presence/v1\",\"deviceId\":\"edge-01\",\"online\":true,"
            + "\"at\":\"2026-11-28T10:00:00Z\",\"agentVersion\":\"0.1.0\"}",
        json);
  }

  @Test
  void decode_acceptsAMinorVersion() {
    Presence decoded =
        codec.decode(
            ("{\"schema\":\"ferry.presence/v1.7\",\"deviceId\":\"edge-01\",\"online\":false,"
                    + "\"at\":\"2026-11-28T10:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8),
            Presence.class);
    assertEquals(false, decoded.online());
  }

  @Test
  void decode_rejectsAnotherMajorVersion() {
    assertEquals(
        "unsupported schema 'ferry.presence/v2'; this side reads ferry.presence/v1 and its minor"
            + " versions",
        reject(
            "{\"schema\":\"ferry.presence/v2\",\"deviceId\":\"d\",\"online\":true}",
            Presence.class));
  }

  @Test
  void decode_rejectsAnotherMessageSchema() {
    assertEquals(
        "unsupported schema 'ferry.desired/v1'; this side reads ferry.presence/v1 and its minor"
            + " versions",
        reject("{\"schema\":\"ferry.desired/v1\"}", Presence.class));
  }

  @Test
  void decode_rejectsAMissingSchema() {
    assertEquals(
        "ferry.presence/v1: schema is missing",
        reject("{\"deviceId\":\"d\",\"online\":true}", Presence.class));
  }

  @Test
  void decode_rejectsASchemaOfTheWrongType() {
    assertEquals(
        "ferry.presence/v1: schema must be a string, got number",
        reject("{\"schema\":1}", Presence.class));
  }

  @Test
  void decode_namesAMissingReferenceField() {
    assertEquals(
        "ferry.presence/v1: at is missing",
        reject(presence("\"deviceId\":\"edge-01\",\"online\":true"), Presence.class));
  }

  @Test
  void decode_namesAMissingPrimitiveField() {
    assertEquals(
        "ferry.presence/v1: online is missing",
        reject(
            presence("\"deviceId\":\"edge-01\",\"at\":\"2026-11-28T10:00:00Z\""), Presence.class));
  }

  @Test
  void decode_namesTheBrokenRuleAndValue() {
    assertEquals(
        "ferry.presence/v1: deviceId must match [A-Za-z0-9._-]{1,128}, got 'a b'",
        reject(
            presence("\"deviceId\":\"a b\",\"online\":true,\"at\":\"2026-11-28T10:00:00Z\""),
            Presence.class));
  }

  @Test
  void decode_namesTheNestedPathOfABadDigest() {
    String json =
        new String(codec.encode(Samples.desired()), StandardCharsets.UTF_8)
            .replace(Samples.digest("manifest").toString(), "sha256:XYZ");
    assertEquals(
        "ferry.desired/v1: models[0].manifestDigest: not a sha256 digest (sha256:<64 lowercase"
            + " hex>): 'sha256:XYZ'",
        reject(json, DesiredState.class));
  }

  @Test
  void decode_namesTheNestedPathOfBadBase64() {
    String json =
        new String(codec.encode(Samples.desired()), StandardCharsets.UTF_8)
            .replaceFirst("\"payload\":\"[^\"]*\"", "\"payload\":\"not base64!\"");
    assertEquals(
        "ferry.desired/v1: models[0].release.payload is not valid base64 (Illegal base64"
            + " character 20): 'not base64!'",
        reject(json, DesiredState.class));
  }

  @Test
  void decode_rejectsAnOversizePayloadBeforeParsing() {
    byte[] payload =
        ("{\"schema\":\"ferry.presence/v1\",\"padding\":\"" + "x".repeat(100) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "ferry.presence/v1: payload of " + payload.length + " bytes exceeds the limit of 64",
        reject(codec, payload, SmallPresence.class));
  }

  @Test
  void decode_readsAStreamOnlyUpToTheCap() {
    var endless = new ByteArrayInputStream(new byte[10_000]);
    var error =
        assertThrows(
            MalformedMessageException.class, () -> codec.decode(endless, TinyPresence.class));
    assertEquals("ferry.presence/v1: payload exceeds the limit of 16 bytes", error.getMessage());
    assertEquals(10_000 - 17, endless.available());
  }

  @Test
  void maxBytes_isWhatTheTypeDeclaresOrTheDefault() {
    assertEquals(256 * 1024, JsonCodec.maxBytes(Presence.class));
    assertEquals(
        64 * 1024 * 1024, JsonCodec.maxBytes(dev.ferry.protocol.release.GoldenVectors.class));
    assertEquals(JsonCodec.DEFAULT_MAX_BYTES, JsonCodec.maxBytes(Undeclared.class));
  }

  @Test
  void maxBytes_refusesACapBelowOneByte() {
    var error =
        assertThrows(IllegalArgumentException.class, () -> JsonCodec.maxBytes(NoRoom.class));
    assertEquals(
        "@MaxBytes of " + NoRoom.class.getName() + " must be at least 1, got 0",
        error.getMessage());
  }

  @Test
  void decode_namesAFieldMissingFromANestedObject() {
    String json =
        new String(codec.encode(Samples.desired()), StandardCharsets.UTF_8)
            .replaceFirst(",?\"manifestDigest\":\"[^\"]*\"", "");
    assertEquals(
        "ferry.desired/v1: models[0].manifestDigest is missing", reject(json, DesiredState.class));
  }

  @Test
  void decode_rejectsJsonThatEndsInsideAString() {
    assertEquals(
        "ferry.presence/v1: malformed JSON at line 1, column 22: Unexpected end-of-input in"
            + " VALUE_STRING",
        reject("{\"schema\":\"ferry.pres", Presence.class));
  }

  @Test
  void decode_rejectsJsonThatEndsBeforeAFieldsValue() {
    assertEquals(
        "ferry.presence/v1: malformed JSON at line 1, column 11: Unexpected end-of-input: expected"
            + " close marker for Object",
        reject("{\"schema\":", Presence.class));
  }

  @Test
  void decode_rejectsJsonThatEndsInsideAnArray() {
    assertEquals(
        "ferry.presence/v1: malformed JSON at line 1, column 39: Unexpected end-of-input: expected"
            + " close marker for Array",
        reject("{\"schema\":\"ferry.presence/v1\",\"x\":[1,2", Presence.class));
  }

  @Test
  void decode_namesANullPrimitiveAsAWrongType() {
    assertEquals(
        "ferry.presence/v1: online must be a boolean, got null",
        reject(
            presence("\"deviceId\":\"d\",\"online\":null,\"at\":\"2026-11-28T10:00:00Z\""),
            Presence.class));
  }

  @Test
  void decode_rejectsMalformedJsonWithItsPosition() {
    assertEquals(
        "ferry.presence/v1: malformed JSON at line 1, column 30: Unexpected end-of-input: expected"
            + " close marker for Object",
        reject("{\"schema\":\"ferry.presence/v1\"", Presence.class));
  }

  @Test
  void decode_rejectsDuplicateKeys() {
    assertEquals(
        "ferry.presence/v1: malformed JSON at line 1, column 53: Duplicate field 'online'",
        reject(presence("\"online\":true,\"online\":false"), Presence.class));
  }

  @Test
  void decode_rejectsANonObject() {
    assertEquals(
        "ferry.presence/v1: expected a JSON object, got ARRAY", reject("[1]", Presence.class));
    assertEquals(
        "ferry.presence/v1: expected a JSON object, got nothing", reject("", Presence.class));
  }

  @Test
  void decode_rejectsDeepNesting() {
    String deep =
        "{\"schema\":\"ferry.presence/v1\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
    String message = reject(deep, Presence.class);
    assertEquals(
        "ferry.presence/v1: malformed JSON: Document nesting depth (65) exceeds the maximum allowed"
            + " (64, from `StreamReadConstraints.getMaxNestingDepth()`)",
        message);
  }

  @Test
  void decode_rejectsTrailingTokens() {
    byte[] payload = codec.encode(Samples.presence());
    byte[] trailing =
        (new String(payload, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8);
    String message = reject(codec, trailing, Presence.class);
    assertEquals(true, message.startsWith("ferry.presence/v1: malformed JSON"), message);
  }

  @Test
  void decode_rejectsANegativeSequence() {
    String json =
        new String(codec.encode(Samples.telemetry()), StandardCharsets.UTF_8)
            .replace("\"seq\":42", "\"seq\":-1");
    assertEquals(
        "ferry.telemetry/v1: seq must be at least 1, got -1", reject(json, TelemetryBatch.class));
  }

  @Test
  void decode_checksStatementTypesInsteadOfASchema() {
    String json =
        new String(codec.encode(Samples.statement()), StandardCharsets.UTF_8)
            .replace("https://ferry.dev/release/v1", "https://ferry.dev/release/v2");
    assertEquals(
        "ReleaseStatement: predicateType must be 'https://ferry.dev/release/v1', got"
            + " 'https://ferry.dev/release/v2'",
        reject(json, ReleaseStatement.class));
  }

  @Test
  void show_escapesControlCharactersAndShortens() {
    assertEquals("'a\\u000ab'", Fields.show("a\nb"));
    assertEquals("'" + "x".repeat(80) + "…'", Fields.show("x".repeat(200)));
  }
}
