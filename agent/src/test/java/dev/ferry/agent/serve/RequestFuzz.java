package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.testing.Fuzzing;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the infer request decoder (JSON and binary) for {@code
 * faults.fuzz.seconds} (default 30) each, seed {@code faults.seed}: 0 crashes. Run by {@code
 * -Pfaults}.
 */
class RequestFuzz {
  @Test
  void mutatedRequests_areParsedOrRefusedWithNoCrash() throws Exception {
    long seed = Long.getLong("faults.seed", 17L);
    long millis = Integer.getInteger("faults.fuzz.seconds", 30) * 1000L;
    for (Fuzzing target : RequestTargets.all()) {
      Fuzzing.Result result = target.mutate(seed, millis);
      System.out.println("F6 fuzz " + target.name() + ": " + result.summary() + " seed=" + seed);
      assertEquals(0, result.crashes(), result.firstCrash());
    }
  }
}
