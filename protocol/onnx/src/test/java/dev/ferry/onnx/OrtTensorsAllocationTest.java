package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * The bytes reading an output allocates, counted by the JVM for this thread: ONNX Runtime's own
 * copy out of native memory, and no second copy into another array.
 */
class OrtTensorsAllocationTest {
  private static final int ELEMENTS = 1 << 20;
  private static final long PAYLOAD = 4L * ELEMENTS;

  @Test
  void read_copiesTheElementsOnce() throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    FloatBuffer direct =
        java.nio.ByteBuffer.allocateDirect((int) PAYLOAD)
            .order(java.nio.ByteOrder.nativeOrder())
            .asFloatBuffer();
    direct.put(0, 2.5f);
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, direct, new long[] {1, ELEMENTS})) {
      OrtTensors.read("y", tensor);
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long thread = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(thread);
      ArrayTensor read = OrtTensors.read("y", tensor);
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      assertEquals(2.5f, ((float[]) read.elements())[0]);
      assertEquals(ELEMENTS, read.size());
      assertTrue(allocated < PAYLOAD * 5 / 4, allocated + " bytes to read " + PAYLOAD);
    }
  }
}
