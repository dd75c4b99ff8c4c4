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
 * The copies a binary request's input takes on its way into ONNX Runtime, counted by the JVM: none
 * from a body gathered in direct memory with its binary part aligned ({@link InferBody}), as the
 * infer route gathers it: ONNX Runtime reads the body itself; one, into a direct buffer, from a
 * body that is not (the gRPC endpoint's raw contents).
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
  private final byte[] heapBody = body();
  private final ByteBuffer directBody = aligned(heapBody, header.length());

  private byte[] body() {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(json.length + PAYLOAD).order(ByteOrder.LITTLE_ENDIAN);
    out.put(json).putFloat(json.length, 2.5f);
    return out.array();
  }

  /** The bytes in direct memory, the binary part from {@code binaryStart} 64-byte aligned. */
  private static ByteBuffer aligned(byte[] bytes, int binaryStart) {
    ByteBuffer room = ByteBuffer.allocateDirect(bytes.length + 64);
    int pad = Math.floorMod(-room.alignmentOffset(binaryStart, 64), 64);
    return room.position(pad).slice().put(bytes).flip();
  }

  private InferRequest parse(ByteBuffer body) {
    return RequestParser.parse(body, Integer.toString(header.length()));
  }

  @Test
  void parsing_anAlignedDirectBody_copiesNothing_andAllocatesLittleHeap() {
    parse(directBody);
    long heap = allocated(() -> parse(directBody));
    long direct = DIRECT.getMemoryUsed();
    ArrayTensor x = parse(directBody).inputs().get(0);
    long copied = DIRECT.getMemoryUsed() - direct;
    assertTrue(x.isPacked());
    assertTrue(heap < PAYLOAD / 8, heap + " heap bytes to parse a " + PAYLOAD + "-byte input");
    assertEquals(0, copied, NOISE, "direct bytes for a " + PAYLOAD + "-byte input");
  }

  @Test
  void parsing_aHeapBody_copiesTheInputOnce_intoDirectMemory() {
    ByteBuffer body = ByteBuffer.wrap(heapBody);
    parse(body);
    long direct = DIRECT.getMemoryUsed();
    ArrayTensor x = parse(body).inputs().get(0);
    long copied = DIRECT.getMemoryUsed() - direct;
    assertTrue(x.isPacked());
    // other buffers of the JVM may be freed meanwhile: a second copy would be PAYLOAD more
    assertEquals(PAYLOAD, copied, NOISE, "direct bytes for a " + PAYLOAD + "-byte input");
  }

  @Test
  void onnxRuntime_readsTheAlignedBodyItself() throws OrtException {
    ArrayTensor x = parse(directBody).inputs().get(0);
    long direct = DIRECT.getMemoryUsed();
    long heap;
    try (OnnxTensor tensor = OrtTensors.create(OrtEnvironment.getEnvironment(), x)) {
      assertEquals(0, DIRECT.getMemoryUsed() - direct, NOISE, "direct bytes ONNX Runtime copied");
      heap = allocated(() -> createAndClose(x));
      assertEquals(2.5f, tensor.getFloatBuffer().get(0));
      directBody.order(ByteOrder.LITTLE_ENDIAN).putFloat(header.length(), -7f);
      assertEquals(-7f, tensor.getFloatBuffer().get(0), "the tensor over the body's own memory");
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
