package dev.ferry.it.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ferry.protocol.testing.OnnxModels;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HalfWeightsTest {
  @TempDir Path dir;

  @Test
  void toHalf_roundsToNearestEvenAndSaturatesToInfinity() {
    float[] floats = {
      1f, -2f, 1f / 3, 65504f, 65520f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0f, Float.NaN
    };
    int[] halves = {0x3c00, 0xc000, 0x3555, 0x7bff, 0x7c00, 0x0001, 0x0000, 0x0001, 0x0000, 0x7e00};
    for (int i = 0; i < floats.length; i++) {
      assertEquals(halves[i], HalfWeights.toHalf(floats[i]) & 0xffff, "toHalf(" + floats[i] + ")");
    }
    assertEquals(10, floats.length);
  }

  @Test
  void write_halvesTheWeightsAndComputesTheSame() throws Exception {
    Path fp32 = dir.resolve("fp32.onnx");
    Path fp16 = dir.resolve("fp16.onnx");
    OnnxModels.matMulAdd(fp32, "x", 1, 32, 16, 3);
    assertEquals(1, HalfWeights.write(fp32, fp16)); // W (512 elements); B has 16
    assertEquals(Files.size(fp32) - 512 * 2, Files.size(fp16), 100);
    float[] input = new float[32];
    for (int i = 0; i < input.length; i++) {
      input[i] = i - 16;
    }
    assertArrayEquals(run(fp32, input), run(fp16, input));
  }

  private static float[] run(Path model, float[] input) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
        OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 32});
        OrtSession.Result result = session.run(Map.of("x", x))) {
      return ((float[][]) result.get(0).getValue())[0];
    }
  }
}
