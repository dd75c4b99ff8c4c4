package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/**
 * The committed fuzz corpus of the infer request decoder, replayed: parsed or refused, no crash.
 */
class RequestCorpusTest {
  @Test
  void corpus_isParsedOrRefusedWithNoCrash() throws Exception {
    int targets = 0;
    for (Fuzzing target : RequestTargets.all()) {
      Fuzzing.Result result = target.replay();
      assertTrue(result.inputs() > 0, "empty corpus");
      assertEquals(0, result.crashes(), result.firstCrash());
      targets++;
    }
    assertEquals(3, targets);
  }
}
