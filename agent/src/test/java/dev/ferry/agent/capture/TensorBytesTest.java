package dev.ferry.agent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.PackedElements;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorBytesTest {
  @Test
  void encode_takesAPackedRequestTensorsBytesAsTheyAre() {
    byte[] floats = {0, 0, -64, 63, 0, 0, 0, -64};
    ArrayTensor packed =
        ArrayTensor.packed(
            "x", Datatype.FP32, new long[] {1, 2}, PackedElements.pack(ByteBuffer.wrap(floats)));
    CapturedTensor captured = TensorBytes.encode(packed, false);
    assertArrayEquals(floats, captured.data());
    assertEquals(List.of(1L, 2L), captured.shape());
    assertEquals(Datatype.FP32, captured.datatype());
  }

  @Test
  void encode_widensHalfPrecisionToFloats() {
    ArrayTensor half =
        ArrayTensor.packed(
            "h",
            Datatype.FP16,
            new long[] {2},
            PackedElements.pack(ByteBuffer.wrap(new byte[] {0, 0x3c, 0, (byte) 0xc0})));
    CapturedTensor captured = TensorBytes.encode(half, true);
    assertEquals(Datatype.FP32, captured.datatype());
    assertArrayEquals(new byte[] {0, 0, -128, 63, 0, 0, 0, -64}, captured.data());
  }
}
