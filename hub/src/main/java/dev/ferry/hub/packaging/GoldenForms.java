package dev.ferry.hub.packaging;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Tensor;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Golden vectors between their two tensor forms: the hub works on JSON numbers, and packages raw
 * tensors ({@link Tensor#raw()}) so that a device decodes a large output without parsing a number.
 */
final class GoldenForms {
  private GoldenForms() {}

  /** The vectors as golden.json packages them: every tensor raw but BYTES ones. */
  static GoldenVectors raw(GoldenVectors golden) {
    return map(golden, t -> t.raw() != null ? t : ArrayTensor.of(t).toRawTensor());
  }

  /**
   * The vectors with every tensor in JSON form, as the hub checks and completes them: an upload may
   * hold raw tensors.
   *
   * @throws InvalidGoldenException if a raw tensor's datatype has no elements the hub can read
   */
  static GoldenVectors numbers(GoldenVectors golden) {
    return map(golden, t -> t.raw() == null ? t : numbers(t));
  }

  private static Tensor numbers(Tensor raw) {
    try {
      return ArrayTensor.of(raw).toTensor();
    } catch (IllegalArgumentException e) {
      throw new InvalidGoldenException(
          "tensor " + Fields.show(raw.name()) + ": " + e.getMessage(), e);
    }
  }

  private static GoldenVectors map(GoldenVectors golden, UnaryOperator<Tensor> form) {
    List<GoldenCase> cases =
        golden.cases().stream()
            .map(c -> new GoldenCase(list(c.inputs(), form), list(c.outputs(), form)))
            .toList();
    return new GoldenVectors(cases, golden.tolerances());
  }

  private static List<Tensor> list(List<Tensor> tensors, UnaryOperator<Tensor> form) {
    return tensors.stream().map(form).toList();
  }
}
