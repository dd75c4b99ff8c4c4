package dev.ferry.protocol.testing;

import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Runs a parser (an entry point that takes outside input) over a committed corpus, or over what a
 * fuzzer (Jazzer, {@link FuzzTarget}) makes of it: any exception the caller does not expect (one
 * that would be a 500 or a crash) is a finding; a corpus replay writes it to {@code
 * target/fuzz/<target>/}.
 *
 * <p>The corpus of a target lies in {@code src/test/resources/fuzz/<target>/} of the module under
 * test: seeds, and each crash once found, kept as a regression input.
 */
public final class Fuzzing {
  /** An entry point under test. */
  @FunctionalInterface
  public interface Target {
    /** Feeds it one input. */
    void accept(byte[] input) throws Exception;
  }

  /**
   * What a run did.
   *
   * @param inputs inputs tried
   * @param refused inputs refused with an expected exception
   * @param crashes inputs that threw anything else (each kept under target/fuzz)
   * @param firstCrash the first crash's exception, or null
   */
  public record Result(long inputs, long refused, long crashes, String firstCrash) {
    /** The counts, and the heap in use after a collection, for a figures line. */
    public String summary() {
      Runtime runtime = Runtime.getRuntime();
      System.gc();
      long heapMb = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
      return "inputs="
          + inputs
          + " refused="
          + refused
          + " crashes="
          + crashes
          + " heapMiB="
          + heapMb;
    }
  }

  private final String name;
  private final Target target;
  private final Predicate<Throwable> expected;
  private long fed;
  private long refused;

  /**
   * @param name the target's name: its corpus folder
   * @param target the entry point
   * @param expected the refusals it may answer bad input with (a 4xx, a counted rejection)
   */
  public Fuzzing(String name, Target target, Predicate<Throwable> expected) {
    this.name = name;
    this.target = target;
    this.expected = expected;
  }

  /** The target's name (its corpus folder). */
  public String name() {
    return name;
  }

  /** The committed corpus: every file under {@code src/test/resources/fuzz/<name>/}. */
  public List<byte[]> corpus() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/fuzz", name))) {
      List<byte[]> inputs = new ArrayList<>();
      for (Path file : files.sorted().toList()) {
        inputs.add(Files.readAllBytes(file));
      }
      return inputs;
    }
  }

  /** Feeds every corpus input once (the regression run of the normal build). */
  public Result replay() throws IOException {
    List<byte[]> corpus = corpus();
    long refusals = 0;
    long crashes = 0;
    String firstCrash = null;
    for (byte[] input : corpus) {
      try {
        target.accept(input);
      } catch (Throwable thrown) {
        if (expected.test(thrown)) {
          refusals++;
          continue;
        }
        crashes++;
        firstCrash = firstCrash == null ? keep(input, thrown) : firstCrash;
      }
    }
    return new Result(corpus.size(), refusals, crashes, firstCrash);
  }

  /**
   * Feeds one input from a fuzzer (Jazzer): an expected refusal is counted, anything else is thrown
   * on, for the fuzzer to report as a finding.
   */
  public void feed(byte[] input) throws Throwable {
    fed++;
    try {
      target.accept(input);
    } catch (Throwable thrown) {
      if (!expected.test(thrown)) {
        throw thrown;
      }
      refused++;
    }
  }

  /** What {@link #feed} saw so far (a crash ends the fuzzer's run, so it saw none). */
  public Result fed() {
    return new Result(fed, refused, 0, null);
  }

  private String keep(byte[] input, Throwable thrown) throws IOException {
    Path dir = Files.createDirectories(Path.of("target/fuzz", name));
    Path file = dir.resolve("crash-" + Digest.of(input).hex().substring(0, 16));
    Files.write(file, input);
    return thrown + " (input kept in " + file.toAbsolutePath() + ")";
  }
}
