package dev.ferry.agent.serve;

import dev.ferry.onnx.OrtTypes;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.testing.Fuzzing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The Open Inference Protocol request decoder as fuzz targets: a JSON body, a binary one (its first
 * line is the {@value RequestParser#HEADER_LENGTH} header, the rest the body), and the binary
 * tensor decoder alone. Bad input may only be refused with a 4xx exception.
 */
final class RequestTargets {
  private RequestTargets() {}

  static List<Fuzzing> all() {
    return List.of(json(), binary(), tensors());
  }

  static Fuzzing json() {
    return new Fuzzing(
        "infer-json", input -> RequestParser.parse(direct(input), null), RequestTargets::is4xx);
  }

  static Fuzzing binary() {
    return new Fuzzing("infer-binary", RequestTargets::parseBinary, RequestTargets::is4xx);
  }

  /**
   * The binary tensor decoder alone: the first byte picks the datatype (among those a request may
   * name, {@code OrtTypes.CREATABLE}), the second the element count, the rest are the tensor's
   * bytes.
   */
  static Fuzzing tensors() {
    return new Fuzzing("binary-tensors", RequestTargets::decodeTensor, RequestTargets::is4xx);
  }

  private static void decodeTensor(byte[] input) {
    if (input.length < 2) {
      return;
    }
    // as RequestInput admits them: only datatypes ONNX Runtime can create reach the decoder
    Datatype[] types = OrtTypes.CREATABLE.toArray(new Datatype[0]);
    Datatype datatype = types[(input[0] & 0xff) % types.length];
    int count = input[1] & 0xff;
    BinaryTensors.tensor(
            "x",
            ByteBuffer.wrap(input, 2, input.length - 2),
            datatype,
            List.of((long) count),
            count,
            "input 'x'",
            "parameters.binary_data_size")
        .elements();
  }

  private static void parseBinary(byte[] input) {
    int newline = 0;
    while (newline < input.length && input[newline] != '\n') {
      newline++;
    }
    String header = new String(input, 0, newline, StandardCharsets.UTF_8);
    RequestParser.parse(
        direct(Arrays.copyOfRange(input, Math.min(newline + 1, input.length), input.length)),
        header);
  }

  /** The bytes in direct memory, as the infer route gathers a body ({@link InferBody}). */
  private static ByteBuffer direct(byte[] bytes) {
    return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }

  private static boolean is4xx(Throwable thrown) {
    return thrown instanceof InvalidRequestException || thrown instanceof TensorBudgetException;
  }
}
