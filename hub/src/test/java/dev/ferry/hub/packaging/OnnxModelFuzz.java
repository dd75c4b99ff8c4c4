package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the inspection of uploaded models for {@code faults.fuzz.seconds}
 * (default 30), seed {@code faults.seed}: 0 crashes. Run by {@code -Pfaults}.
 */
class OnnxModelFuzz {
  @Test
  void mutatedModels_areInspectedOrRefusedWithNoCrash() throws Exception {
    long seed = Long.getLong("faults.seed", 17L);
    long millis = Integer.getInteger("faults.fuzz.seconds", 30) * 1000L;
    Fuzzing target = OnnxTargets.uploadedModel();
    Fuzzing.Result result = target.mutate(seed, millis);
    System.out.println("F6 fuzz " + target.name() + ": " + result.summary() + " seed=" + seed);
    assertEquals(0, result.crashes(), result.firstCrash());
  }
}
