package dev.ferry.agent.capture;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A tensor's elements as the little-endian bytes a capture holds; FP16 and BF16 as FP32. */
final class TensorBytes {
  private TensorBytes() {}

  /** Whether a tensor of this datatype can be captured (BYTES cannot). */
  static boolean capturable(ArrayTensor tensor) {
    return tensor.datatype() != Datatype.BYTES;
  }

  /** The bytes the tensor takes in a capture. */
  static long size(ArrayTensor tensor) {
    return (long) tensor.size() * CapturedTensor.width(held(tensor.datatype()));
  }

  /**
   * The tensor as a capture holds it.
   *
   * @param tensor a capturable tensor
   * @param output whether it is an output
   * @return its capture
   */
  static CapturedTensor encode(ArrayTensor tensor, boolean output) {
    ByteBuffer buffer = ByteBuffer.allocate((int) size(tensor)).order(ByteOrder.LITTLE_ENDIAN);
    put(buffer, tensor.elements());
    return new CapturedTensor(
        tensor.name(), output, held(tensor.datatype()), tensor.shapeList(), buffer.array());
  }

  private static void put(ByteBuffer buffer, Object elements) {
    if (elements instanceof float[] a) {
      buffer.asFloatBuffer().put(a);
    } else if (elements instanceof double[] a) {
      buffer.asDoubleBuffer().put(a);
    } else if (elements instanceof byte[] a) {
      buffer.put(a);
    } else if (elements instanceof short[] a) {
      buffer.asShortBuffer().put(a);
    } else if (elements instanceof int[] a) {
      buffer.asIntBuffer().put(a);
    } else if (elements instanceof long[] a) {
      buffer.asLongBuffer().put(a);
    }
  }

  private static Datatype held(Datatype datatype) {
    return datatype == Datatype.FP16 || datatype == Datatype.BF16 ? Datatype.FP32 : datatype;
  }
}
