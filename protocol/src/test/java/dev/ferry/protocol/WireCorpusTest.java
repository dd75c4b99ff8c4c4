package dev.ferry.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/** The committed fuzz corpus of the wire decoders, replayed: every input decodes or is refused. */
class WireCorpusTest {
  @Test
  void corpus_isDecodedOrRefusedWithNoCrash() throws Exception {
    int targets = 0;
    for (Fuzzing target : WireTargets.all()) {
      Fuzzing.Result result = target.replay();
      assertTrue(result.inputs() > 0, "empty corpus");
      assertEquals(0, result.crashes(), result.firstCrash());
      targets++;
    }
    assertEquals(5, targets);
  }
}
