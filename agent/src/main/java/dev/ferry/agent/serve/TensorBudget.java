package dev.ferry.agent.serve;

import dev.ferry.agent.runtime.Signature;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.TensorSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory a request's tensors take in ONNX Runtime: its inputs, and each output whose dimensions
 * the model fixes or names like a dimension of an input (then sized from the request). A request
 * over the limit is refused before ONNX Runtime allocates anything; an output sized only at run
 * time (a dimension no input names) is not counted.
 */
final class TensorBudget {
  static final String PROPERTY = "ferry.agent.serve.max-tensor-bytes";

  /** What a variable-length element takes at least: a pointer. */
  private static final int BYTES_ELEMENT = 8;

  private TensorBudget() {}

  /**
   * @param inputs the request's inputs, checked against the signature
   * @param signature the version's
   * @param limit the most bytes allowed
   * @throws TensorBudgetException if the tensors take more
   */
  static void check(List<ArrayTensor> inputs, Signature signature, long limit) {
    Map<String, Long> bound = new HashMap<>();
    long in = 0;
    for (ArrayTensor tensor : inputs) {
      bind(bound, signature.dimensionNames(tensor.name()), tensor.shape());
      in = add(in, bytes(tensor.datatype(), tensor.shape()));
    }
    long out = 0;
    for (TensorSpec output : signature.outputs()) {
      out = add(out, outputBytes(output, signature.dimensionNames(output.name()), bound));
    }
    if (add(in, out) > limit) {
      throw new TensorBudgetException(
          "the request's tensors need "
              + add(in, out)
              + " bytes (inputs "
              + in
              + ", outputs "
              + out
              + "), over the limit of "
              + limit
              + " ("
              + PROPERTY
              + ")");
    }
  }

  private static void bind(Map<String, Long> bound, List<String> names, long[] shape) {
    for (int i = 0; i < Math.min(names.size(), shape.length); i++) {
      if (!names.get(i).isEmpty()) {
        bound.merge(names.get(i), shape[i], Math::max);
      }
    }
  }

  /** 0 when a dimension is known only at run time. */
  private static long outputBytes(TensorSpec output, List<String> names, Map<String, Long> bound) {
    long[] dims = new long[output.shape().size()];
    for (int i = 0; i < dims.length; i++) {
      long dim = output.shape().get(i);
      Long named = i < names.size() ? bound.get(names.get(i)) : null;
      if (dim < 0 && named == null) {
        return 0;
      }
      dims[i] = dim < 0 ? named : dim;
    }
    return bytes(output.datatype(), dims);
  }

  private static long bytes(Datatype datatype, long[] shape) {
    int each = BinaryTensors.elementBytes(datatype);
    long product = each == 0 ? BYTES_ELEMENT : each;
    for (long dim : shape) {
      product = multiply(product, dim);
    }
    return product;
  }

  private static long multiply(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long add(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
