package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes the binary answers allocate, counted by the JVM for this thread: the elements are
 * copied once into the answer, with no intermediate buffer or growing stream (the detector's 400 KB
 * and the recogniser's 1 MB of outputs were copied five times before), and the REST answer goes
 * into a pooled direct buffer, not the heap.
 */
class BinaryAnswerAllocationTest {
  private static final int ELEMENTS = 1 << 20;
  private static final long PAYLOAD = 4L * ELEMENTS;

  private final ArrayTensor output =
      new ArrayTensor("y", Datatype.FP32, new long[] {1, ELEMENTS}, new float[ELEMENTS]);

  @Test
  void restBinaryAnswer_isWrittenOutsideTheHeap_onceAndWhole() {
    InferRequest request = new InferRequest(null, List.of(), List.of(), true, Map.of());
    ResponseWriter.write("m", "1", request, List.of(output)).body().release();
    ResponseWriter.Answer[] answer = new ResponseWriter.Answer[1];
    long allocated =
        allocated(() -> answer[0] = ResponseWriter.write("m", "1", request, List.of(output)));
    try {
      assertTrue(
          allocated < PAYLOAD / 16, allocated + " heap bytes for a " + PAYLOAD + "-byte answer");
      assertTrue(answer[0].body().isDirect(), "the socket sends it as it is");
      assertEquals(answer[0].headerLength() + PAYLOAD, answer[0].body().readableBytes());
    } finally {
      answer[0].body().release();
    }
  }

  @Test
  void grpcRawContents_allocateTheirOwnSize() {
    assertEquals(PAYLOAD, BinaryTensors.encode(output).length);
    long allocated = allocated(() -> BinaryTensors.encode(output));
    assertTrue(allocated < PAYLOAD * 5 / 4, allocated + " bytes for " + PAYLOAD + " raw bytes");
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
