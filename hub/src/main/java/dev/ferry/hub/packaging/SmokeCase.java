package dev.ferry.hub.packaging;

import dev.ferry.onnx.Halves;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/** Generates the inputs of a seeded smoke case for a model whose input shapes are all known. */
final class SmokeCase {
  /** The most elements one generated input may hold. */
  static final long MAX_ELEMENTS = 1 << 20;

  private SmokeCase() {}

  /**
   * One tensor per input, filled from {@code new Random(seed)}: floats in [-1, 1), integers in [0,
   * 9], random booleans.
   */
  static List<Tensor> inputs(ModelSignature signature, Map<String, List<Long>> hints, long seed) {
    checkHints(signature, hints);
    List<String> dynamic = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    for (TensorSpec input : signature.inputs()) {
      List<Long> shape = hints.getOrDefault(input.name(), input.shape());
      if (shape.contains(-1L)) {
        dynamic.add(describeDynamic(signature, input));
        examples.add(input.name() + "=" + example(shape));
      }
    }
    if (!dynamic.isEmpty()) {
      throw new InvalidGoldenException(
          String.join("; ", dynamic)
              + "; send golden inputs or a shapes hint such as "
              + String.join(";", examples));
    }
    Random random = new Random(seed);
    List<Tensor> tensors = new ArrayList<>();
    for (TensorSpec input : signature.inputs()) {
      tensors.add(fill(input, hints.getOrDefault(input.name(), input.shape()), random));
    }
    return tensors;
  }

  private static void checkHints(ModelSignature signature, Map<String, List<Long>> hints) {
    hints.forEach(
        (name, shape) -> {
          TensorSpec input =
              signature.inputs().stream()
                  .filter(i -> i.name().equals(name))
                  .findFirst()
                  .orElse(null);
          if (input == null) {
            throw new InvalidShapeHintException(
                "shapes hint names "
                    + Fields.show(name)
                    + ", which is not an input of the model; inputs: "
                    + signature.inputs().stream().map(TensorSpec::name).toList());
          }
          if (!input.accepts(shape)) {
            throw new InvalidShapeHintException(
                "shapes hint gives "
                    + name
                    + " "
                    + shape
                    + ", which does not fit input "
                    + Fields.show(name)
                    + " of shape "
                    + input.shape());
          }
        });
  }

  private static String describeDynamic(ModelSignature signature, TensorSpec input) {
    List<String> dims = new ArrayList<>();
    for (int i = 0; i < input.shape().size(); i++) {
      if (input.shape().get(i) == -1) {
        String name = signature.dimName(input.name(), i);
        dims.add(name.isEmpty() ? String.valueOf(i) : i + " (" + Fields.show(name) + ")");
      }
    }
    return "input "
        + Fields.show(input.name())
        + " has dynamic dimension"
        + (dims.size() > 1 ? "s " : " ")
        + String.join(", ", dims)
        + " in shape "
        + input.shape();
  }

  private static String example(List<Long> shape) {
    return shape.stream().map(d -> d == -1 ? "1" : d.toString()).collect(Collectors.joining(","));
  }

  private static Tensor fill(TensorSpec input, List<Long> shape, Random random) {
    long elements = 1;
    for (long dim : shape) {
      elements = Math.min(elements * dim, MAX_ELEMENTS + 1);
    }
    if (elements > MAX_ELEMENTS) {
      throw new InvalidShapeHintException(
          "input "
              + Fields.show(input.name())
              + " of shape "
              + shape
              + " holds more than "
              + MAX_ELEMENTS
              + " elements; a smoke case holds at most "
              + MAX_ELEMENTS
              + " per input");
    }
    List<Object> data = new ArrayList<>((int) elements);
    for (long i = 0; i < elements; i++) {
      data.add(element(input.datatype(), random));
    }
    return new Tensor(input.name(), input.datatype(), shape, data);
  }

  private static Object element(Datatype datatype, Random random) {
    return switch (datatype) {
      case BOOL -> random.nextBoolean();
      case FP64 -> random.nextDouble() * 2 - 1;
      case FP32 -> (double) (random.nextFloat() * 2 - 1);
      case FP16, BF16 -> (double) Halves.round(datatype, random.nextFloat() * 2 - 1);
      default -> random.nextInt(10);
    };
  }
}
