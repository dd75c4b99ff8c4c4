package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkSizesTest {
  @Test
  void fanOut_startsSmall_doublesUpToTheLargest_andStaysThere() {
    assertEquals(
        List.of(100, 200, 400, 800, 1000, 1000),
        IntStream.range(0, 6).map(ChunkSizes.FAN_OUT::of).boxed().toList());
    assertEquals(1000, ChunkSizes.FAN_OUT.of(40));
    assertEquals(1000, ChunkSizes.FAN_OUT.of(Integer.MAX_VALUE));
  }

  @Test
  void chunks_coverTenThousandDevicesInThirteen() {
    int devices = 0;
    int chunks = 0;
    while (devices < 10_000) {
      devices += ChunkSizes.FAN_OUT.of(chunks++);
    }
    assertEquals(13, chunks);
  }

  @Test
  void oneSize_isTheSameForEveryChunk() {
    ChunkSizes one = new ChunkSizes(7, 7);
    assertEquals(List.of(7, 7, 7), IntStream.range(0, 3).map(one::of).boxed().toList());
  }

  @Test
  void firstOutsideOneToLargest_isRefused() {
    assertEquals(
        "first must be between 1 and largest (10), was 0",
        assertThrows(IllegalArgumentException.class, () -> new ChunkSizes(0, 10)).getMessage());
    assertEquals(
        "first must be between 1 and largest (10), was 11",
        assertThrows(IllegalArgumentException.class, () -> new ChunkSizes(11, 10)).getMessage());
  }

  @Test
  void negativeIndex_isRefused() {
    assertEquals(
        "index must be 0 or more, was -1",
        assertThrows(IllegalArgumentException.class, () -> ChunkSizes.FAN_OUT.of(-1)).getMessage());
  }
}
