package dev.ferry.agent.capture;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.LittleEndianElements;
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
    Datatype datatype = tensor.datatype();
    byte[] bytes;
    if (datatype == Datatype.FP16 || datatype == Datatype.BF16) {
      bytes = new byte[(int) size(tensor)];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(widened(tensor));
    } else {
      bytes = LittleEndianElements.encode(tensor);
    }
    return new CapturedTensor(tensor.name(), output, held(datatype), tensor.shapeList(), bytes);
  }

  /** A half-precision tensor's elements as floats (what {@link ArrayTensor} decodes them to). */
  private static float[] widened(ArrayTensor tensor) {
    return (float[]) tensor.elements();
  }

  private static Datatype held(Datatype datatype) {
    return datatype == Datatype.FP16 || datatype == Datatype.BF16 ? Datatype.FP32 : datatype;
  }
}
