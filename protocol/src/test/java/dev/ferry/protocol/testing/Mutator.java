package dev.ferry.protocol.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of byte inputs (the fallback for coverage-guided fuzzing): bit flips, byte
 * changes, insertions of tokens that break JSON parsers and number readers, deletions, duplications
 * and splices with another input. The same seed gives the same inputs.
 */
public final class Mutator {
  private static final List<byte[]> TOKENS =
      List.of(
              "null",
              "-0",
              "1e999",
              "-1e-999",
              "9223372036854775807",
              "9223372036854775808",
              "-9223372036854775809",
              "NaN",
              "\"\\u0000\"",
              "\"\\ud800\"",
              "[[[[[[[[[[[[[[[[",
              "{\"a\":{\"a\":{\"a\":",
              "[]",
              "{}",
              "\"\"",
              "true",
              "0.0000000000000000000000001",
              "2147483648",
              "-1",
              ",",
              ":",
              "\"datatype\":\"BYTES\"",
              "\"shape\":[-1]",
              "\"shape\":[2147483647,2147483647]",
              "\"binary_data_size\":99999999")
          .stream()
          .map(token -> token.getBytes(StandardCharsets.UTF_8))
          .toList();

  private final Random random;

  /** A mutator whose choices follow the seed. */
  public Mutator(long seed) {
    this.random = new Random(seed);
  }

  /** The next input: one of {@code seeds} after one to four mutations. */
  public byte[] next(List<byte[]> seeds) {
    byte[] input = seeds.get(random.nextInt(seeds.size()));
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      input = mutate(input, seeds);
    }
    return input;
  }

  private byte[] mutate(byte[] input, List<byte[]> seeds) {
    if (input.length == 0) {
      return TOKENS.get(random.nextInt(TOKENS.size()));
    }
    return switch (random.nextInt(6)) {
      case 0 -> flipBit(input);
      case 1 -> setByte(input);
      case 2 -> insert(input, TOKENS.get(random.nextInt(TOKENS.size())));
      case 3 -> delete(input);
      case 4 -> insert(input, slice(input));
      default -> splice(input, seeds.get(random.nextInt(seeds.size())));
    };
  }

  private byte[] flipBit(byte[] input) {
    byte[] out = input.clone();
    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
    return out;
  }

  private byte[] setByte(byte[] input) {
    byte[] out = input.clone();
    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    return out;
  }

  private byte[] insert(byte[] input, byte[] what) {
    int at = random.nextInt(input.length + 1);
    byte[] out = new byte[input.length + what.length];
    System.arraycopy(input, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(input, at, out, at + what.length, input.length - at);
    return out;
  }

  private byte[] delete(byte[] input) {
    int from = random.nextInt(input.length);
    int to = from + random.nextInt(Math.min(16, input.length - from) + 1);
    byte[] out = new byte[input.length - (to - from)];
    System.arraycopy(input, 0, out, 0, from);
    System.arraycopy(input, to, out, from, input.length - to);
    return out;
  }

  private byte[] slice(byte[] input) {
    int from = random.nextInt(input.length);
    return Arrays.copyOfRange(input, from, from + random.nextInt(input.length - from) + 1);
  }

  private byte[] splice(byte[] input, byte[] other) {
    int cut = random.nextInt(input.length + 1);
    int otherCut = other.length == 0 ? 0 : random.nextInt(other.length);
    byte[] out = Arrays.copyOf(input, cut + other.length - otherCut);
    System.arraycopy(other, otherCut, out, cut, other.length - otherCut);
    return out;
  }
}
