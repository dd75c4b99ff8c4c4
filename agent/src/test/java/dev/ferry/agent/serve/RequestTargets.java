package dev.ferry.agent.serve;

import dev.ferry.protocol.testing.Fuzzing;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The Open Inference Protocol request decoder as fuzz targets: a JSON body, and a binary one (its
 * first line is the {@value RequestParser#HEADER_LENGTH} header, the rest the body). Bad input may
 * only be refused with a 4xx exception.
 */
final class RequestTargets {
  private RequestTargets() {}

  static List<Fuzzing> all() {
    return List.of(
        new Fuzzing("infer-json", input -> RequestParser.parse(input, null), RequestTargets::is4xx),
        new Fuzzing("infer-binary", RequestTargets::parseBinary, RequestTargets::is4xx));
  }

  private static void parseBinary(byte[] input) {
    int newline = 0;
    while (newline < input.length && input[newline] != '\n') {
      newline++;
    }
    String header = new String(input, 0, newline, StandardCharsets.UTF_8);
    RequestParser.parse(
        Arrays.copyOfRange(input, Math.min(newline + 1, input.length), input.length), header);
  }

  private static boolean is4xx(Throwable thrown) {
    return thrown instanceof InvalidRequestException || thrown instanceof TensorBudgetException;
  }
}
