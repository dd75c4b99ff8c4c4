package dev.ferry.agent.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the desired-state verifier for {@code faults.fuzz.seconds} (default
 * 30) each, seed {@code faults.seed}: 0 crashes. Run by {@code -Pfaults}.
 */
class DesiredFuzz {
  @Test
  void mutatedDesiredStates_areVerifiedOrRejectedWithNoCrash() throws Exception {
    long seed = Long.getLong("faults.seed", 17L);
    long millis = Integer.getInteger("faults.fuzz.seconds", 30) * 1000L;
    for (Fuzzing target : DesiredTargets.all()) {
      Fuzzing.Result result = target.mutate(seed, millis);
      System.out.println("F6 fuzz " + target.name() + ": " + result.summary() + " seed=" + seed);
      assertEquals(0, result.crashes(), result.firstCrash());
    }
  }
}
