package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/** The committed fuzz corpus of uploaded models, replayed: inspected or refused, no crash. */
class OnnxCorpusTest {
  @Test
  void corpus_isInspectedOrRefusedWithNoCrash() throws Exception {
    Fuzzing.Result result = OnnxTargets.uploadedModel().replay();
    assertTrue(result.inputs() > 0, "empty corpus");
    assertEquals(0, result.crashes(), result.firstCrash());
  }
}
