package dev.ferry.protocol.capture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.testing.RecordContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capture records: JSON round trip, unknown fields, wrong types, and their rules. */
class CaptureRecordsTest extends RecordContract {
  private static final Instant AT = Instant.parse("2026-05-01T10:00:00Z");

  static CapturePolicy policy() {
    return new CapturePolicy(
        0.01, 60, 1 << 20, CaptureTensors.INPUTS, true, 0.6, "probs", Map.of("site", "berlin"));
  }

  static CapturedTensor tensor() {
    return new CapturedTensor("x", false, Datatype.FP32, List.of(1L, 2L), new byte[8]);
  }

  static CaptureSample sample() {
    return new CaptureSample("s-1", "det", "1.0.0", AT, false, List.of(tensor()));
  }

  static List<Case> cases() {
    return List.of(
        new Case(
            policy(),
            "sampleRate",
            text("often"),
            "CapturePolicy: sampleRate must be a number, got the string 'often'"),
        new Case(
            tensor(),
            "shape",
            text("2"),
            "CapturedTensor: shape must be an array, got the string '2'"),
        new Case(
            tensor(),
            "data",
            text("AAAA!AAAAAA="),
            "CapturedTensor: data is invalid: not base64: Failed to decode VALUE_STRING as base64"
                + " (MIME-NO-LINEFEEDS): Illegal character '!' (code 0x21) in base64 content"),
        new Case(
            sample(),
            "capturedAt",
            text("later"),
            "CaptureSample: capturedAt must be an RFC 3339 timestamp, got 'later'"),
        new Case(
            new CaptureUpload(List.of(sample())),
            "samples",
            object(),
            "ferry.capture/v1: samples must be an array, got an object"),
        new Case(
            new CaptureReceipt(List.of("s-1")),
            "stored",
            text("s-1"),
            "CaptureReceipt: stored must be an array, got the string 's-1'"));
  }

  @Test
  void cases_coverTheFiveCaptureRecords() {
    assertEquals(5, cases().stream().map(c -> c.sample().getClass()).distinct().count());
  }

  @Test
  void policy_rejectsARateAboveOne() {
    var error = assertThrows(FieldException.class, () -> CapturePolicy.sampling(1.5, 10, 10));
    assertEquals("sampleRate must be within [0, 1], got 1.5", error.getMessage());
  }

  @Test
  void policy_rejectsANegativeHourlyCap() {
    var error = assertThrows(FieldException.class, () -> CapturePolicy.sampling(0.5, -1, 10));
    assertEquals("maxPerHour must be at least 0, got -1", error.getMessage());
  }

  @Test
  void policy_rejectsAConfidenceRuleWithoutItsOutput() {
    var error =
        assertThrows(
            FieldException.class,
            () -> new CapturePolicy(0.5, 1, 1, CaptureTensors.BOTH, false, 0.5, null, null));
    assertEquals(
        "confidenceOutput must be set exactly when confidenceBelow is, got null",
        error.getMessage());
  }

  @Test
  void policy_appliesOnlyToDevicesMatchingItsSelector() {
    assertTrue(policy().appliesTo(Map.of("site", "berlin", "accel", "cpu")));
    assertFalse(policy().appliesTo(Map.of("site", "paris")));
    assertTrue(CapturePolicy.sampling(1, 1, 1).appliesTo(Map.of()));
  }

  @Test
  void tensor_rejectsBytesThatDoNotFillTheShape() {
    var error =
        assertThrows(
            FieldException.class,
            () -> new CapturedTensor("x", false, Datatype.INT64, List.of(3L), new byte[3]));
    assertEquals("data must hold 24 bytes for INT64[3], got 3", error.getMessage());
  }

  @Test
  void sample_sizeIsTheBytesItsTensorsHold() {
    byte[] twoInts = new byte[8];
    byte[] threeBytes = new byte[3];
    var sample =
        new CaptureSample(
            "s1",
            "det",
            "1.0.0",
            AT,
            false,
            List.of(
                new CapturedTensor("x", false, Datatype.INT32, List.of(1L, 2L), twoInts),
                new CapturedTensor("y", true, Datatype.UINT8, List.of(3L), threeBytes)));
    assertEquals(8, sample.tensors().get(0).size());
    assertEquals(11, sample.size());
  }

  @Test
  void sample_rejectsAnIdWithASlash() {
    var error =
        assertThrows(
            FieldException.class,
            () -> new CaptureSample("a/b", "det", "1.0.0", AT, false, List.of()));
    assertEquals("id must match [A-Za-z0-9._-]{1,64}, got 'a/b'", error.getMessage());
  }

  @Test
  void assignment_withoutCaptureDecodesFromAStateSignedBeforeCaptureExisted() {
    Envelope release =
        new Envelope("t", "cA==", List.of(new dev.ferry.protocol.signing.Signature("k", "c2ln")));
    Digest digest = Digest.of("m".getBytes(UTF_8));
    ModelAssignment old = new ModelAssignment("det", "hub:8080/models/det", digest, release);
    byte[] json = CODEC.encode(old);
    assertFalse(new String(json, UTF_8).contains("capture"));
    assertNull(CODEC.decode(json, ModelAssignment.class).capture());
  }
}
