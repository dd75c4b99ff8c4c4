package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.OrtTensors;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The copies a binary request's input takes on its way into ONNX Runtime, counted by the JVM: one,
 * from the body into the direct buffer ONNX Runtime takes as it is (before: a float[] and then ONNX
 * Runtime's own direct copy of it).
 */
class BinaryInputCopiesTest {
  private static final int ELEMENTS = 1 << 20;
  private static final int PAYLOAD = 4 * ELEMENTS;

  /**
   * Direct bytes other parts of the JVM may free or take while a step is measured (a Cleaner runs
   * when it will; once 16 KiB went): far below the PAYLOAD a copy would add.
   */
  private static final double NOISE = 64 << 10;

  private static final BufferPoolMXBean DIRECT =
      ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(pool -> pool.getName().equals("direct"))
          .findFirst()
          .orElseThrow();

  private final String header =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,"
          + ELEMENTS
          + "],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":"
          + PAYLOAD
          + "}}]}";
  private final byte[] body = body();

  private byte[] body() {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(json.length + PAYLOAD).order(ByteOrder.LITTLE_ENDIAN);
    out.put(json).putFloat(json.length, 2.5f);
    return out.array();
  }

  private InferRequest parse() {
    return RequestParser.parse(body, Integer.toString(header.length()));
  }

  @Test
  void parsing_copiesTheInputOnce_intoDirectMemory_andAllocatesLittleHeap() {
    parse();
    long heap = allocated(this::parse);
    long direct = DIRECT.getMemoryUsed();
    ArrayTensor x = parse().inputs().get(0);
    long copied = DIRECT.getMemoryUsed() - direct;
    assertTrue(x.isPacked());
    assertTrue(heap < PAYLOAD / 8, heap + " heap bytes to parse a " + PAYLOAD + "-byte input");
    // other buffers of the JVM may be freed meanwhile: a second copy would be PAYLOAD more
    assertEquals(PAYLOAD, copied, NOISE, "direct bytes for a " + PAYLOAD + "-byte input");
  }

  @Test
  void onnxRuntime_takesTheParsedInputWithoutACopy() throws OrtException {
    ArrayTensor x = parse().inputs().get(0);
    long direct = DIRECT.getMemoryUsed();
    long heap;
    try (OnnxTensor tensor = OrtTensors.create(OrtEnvironment.getEnvironment(), x)) {
      assertEquals(0, DIRECT.getMemoryUsed() - direct, NOISE, "direct bytes ONNX Runtime copied");
      heap = allocated(() -> createAndClose(x));
      assertEquals(2.5f, tensor.getFloatBuffer().get(0));
    }
    assertTrue(heap < PAYLOAD / 8, heap + " heap bytes to create a " + PAYLOAD + "-byte tensor");
  }

  private static void createAndClose(ArrayTensor x) {
    try (OnnxTensor tensor = OrtTensors.create(OrtEnvironment.getEnvironment(), x)) {
      assertEquals(ELEMENTS, tensor.getInfo().getNumElements());
    } catch (OrtException e) {
      throw new AssertionError(e);
    }
  }

  private static long allocated(Runnable work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    work.run();
    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
