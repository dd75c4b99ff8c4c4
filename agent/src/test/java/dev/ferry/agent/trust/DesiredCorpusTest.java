package dev.ferry.agent.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/** The committed fuzz corpus of the desired-state verifier, replayed: verified or rejected. */
class DesiredCorpusTest {
  @Test
  void corpus_isVerifiedOrRejectedWithNoCrash() throws Exception {
    int targets = 0;
    for (Fuzzing target : DesiredTargets.all()) {
      Fuzzing.Result result = target.replay();
      assertTrue(result.inputs() > 0, "empty corpus");
      assertEquals(0, result.crashes(), result.firstCrash());
      targets++;
    }
    assertEquals(2, targets);
  }
}
