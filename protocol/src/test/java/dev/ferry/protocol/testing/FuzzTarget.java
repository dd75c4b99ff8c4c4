package dev.ferry.protocol.testing;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Jazzer fuzz test of one {@link Fuzzing} target, seeded by its committed corpus; a subclass (one
 * per target, named {@code *Fuzz}) names the target.
 *
 * <p>Without {@code JAZZER_FUZZ} set, Jazzer only replays the seeds. The {@code faults} profile
 * sets it, runs each class in its own JVM (Jazzer fuzzes one test per JVM) for {@code
 * faults.fuzz.seconds} (libFuzzer's {@code -max_total_time}, which overrides the {@code
 * maxDuration} here), keeps what it generates under {@code target/jazzer/} and prints an {@code F6
 * fuzz} line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FuzzTarget {
  private Fuzzing fuzzing;

  /** The target: its name is the corpus folder. */
  protected abstract Fuzzing target() throws Exception;

  /** The committed corpus, as Jazzer's seeds. */
  protected Stream<byte[]> corpus() throws Exception {
    fuzzing = target();
    return fuzzing.corpus().stream();
  }

  /** One input: an expected refusal passes, anything else is a finding. */
  @MethodSource("corpus")
  @FuzzTest(maxDuration = "30s")
  protected void fuzz(byte[] input) throws Throwable {
    fuzzing.feed(input);
  }

  /** Prints the figures line. */
  @AfterAll
  protected void figures() {
    System.out.println("F6 fuzz " + fuzzing.name() + ": " + fuzzing.fed().summary());
  }
}
