package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ReportedModelsTest {
  private static final String REPORTED =
      "{\"models\":[{\"name\":\"other\",\"active\":{\"version\":\"2.0.0\",\"variant\":\"x\"}},"
          + "{\"name\":\"ocr\",\"active\":{\"version\":\"2.0.0\",\"variant\":\"fp32-cpu\"}}]}";

  @Test
  void variant_theActiveVariantOfTheRolloutsVersion() {
    assertEquals("fp32-cpu", ReportedModels.variant(REPORTED, "ocr", "2.0.0"));
  }

  @Test
  void variant_nothingWhileAnotherVersionServes() {
    assertNull(ReportedModels.variant(REPORTED, "ocr", "3.0.0"));
  }

  @Test
  void variant_nothingForASingleFileReleaseOrBeforeAReport() {
    assertNull(
        ReportedModels.variant(
            "{\"models\":[{\"name\":\"ocr\",\"active\":{\"version\":\"2.0.0\"}}]}",
            "ocr",
            "2.0.0"));
    assertNull(ReportedModels.variant(null, "ocr", "2.0.0"));
    assertNull(ReportedModels.variant("{not json", "ocr", "2.0.0"));
  }

  @Test
  void waiting_theReasonOfAnAssignedVersionNotServedYet() {
    String retrying =
        "{\"models\":[{\"name\":\"ocr\",\"status\":\"PENDING\",\"desiredVersion\":\"2.0.0\","
            + "\"active\":{\"version\":\"1.0.0\"},\"reason\":\"UNAVAILABLE: registry; retrying\"}]}";
    assertEquals(
        "UNAVAILABLE: registry; retrying", ReportedModels.waiting(retrying, "ocr", "2.0.0"));
    assertNull(ReportedModels.waiting(retrying, "ocr", "3.0.0"), "another version was sent");
    assertNull(ReportedModels.waiting(retrying, "other", "2.0.0"));
    assertNull(ReportedModels.waiting(REPORTED, "ocr", "2.0.0"), "it serves it");
    assertNull(ReportedModels.waiting(null, "ocr", "2.0.0"));
  }
}
