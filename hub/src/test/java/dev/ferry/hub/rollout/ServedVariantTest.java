package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ServedVariantTest {
  private static final String REPORTED =
      "{\"models\":[{\"name\":\"other\",\"active\":{\"version\":\"2.0.0\",\"variant\":\"x\"}},"
          + "{\"name\":\"ocr\",\"active\":{\"version\":\"2.0.0\",\"variant\":\"fp32-cpu\"}}]}";

  @Test
  void of_theActiveVariantOfTheRolloutsVersion() {
    assertEquals("fp32-cpu", ServedVariant.of(REPORTED, "ocr", "2.0.0"));
  }

  @Test
  void of_nothingWhileAnotherVersionServes() {
    assertNull(ServedVariant.of(REPORTED, "ocr", "3.0.0"));
  }

  @Test
  void of_nothingForASingleFileReleaseOrBeforeAReport() {
    assertNull(
        ServedVariant.of(
            "{\"models\":[{\"name\":\"ocr\",\"active\":{\"version\":\"2.0.0\"}}]}",
            "ocr",
            "2.0.0"));
    assertNull(ServedVariant.of(null, "ocr", "2.0.0"));
    assertNull(ServedVariant.of("{not json", "ocr", "2.0.0"));
  }
}
