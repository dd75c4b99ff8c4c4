package dev.ferry.protocol.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  private static LatencyHistogram of(long... counts) {
    return new LatencyHistogram(
        List.of(1.0, 10.0, 100.0), java.util.Arrays.stream(counts).boxed().toList());
  }

  @Test
  void quantiles_areTheBoundWhereTheRunningCountReachesThem() {
    LatencyHistogram h = of(50, 40, 9, 1);
    assertEquals(1.0, h.quantileMillis(0.5));
    assertEquals(10.0, h.quantileMillis(0.9));
    assertEquals(100.0, h.quantileMillis(0.99));
    assertEquals(Double.POSITIVE_INFINITY, h.quantileMillis(1.0));
    assertTrue(Double.isNaN(of(0, 0, 0, 0).quantileMillis(0.5)));
    assertThrows(IllegalArgumentException.class, () -> h.quantileMillis(0));
  }

  @Test
  void histogramsOverTheSameBounds_add() {
    assertEquals(of(3, 5, 7, 9), of(1, 2, 3, 4).plus(of(2, 3, 4, 5)));
    assertEquals(
        LatencyHistogram.STANDARD_BOUNDS_MILLIS.size() + 1,
        LatencyHistogram.empty().counts().size());
    var error =
        assertThrows(
            IllegalArgumentException.class, () -> of(1, 2, 3, 4).plus(LatencyHistogram.empty()));
    assertTrue(error.getMessage().startsWith("histograms over other bounds do not add"));
  }

  @Test
  void sums_saturateAtTheLargestCount() {
    long max = dev.ferry.protocol.json.Fields.MAX_COUNT;
    assertEquals(of(max, 2, max, 0), of(max - 1, 1, max, 0).plus(of(5, 1, max, 0)));
  }

  @Test
  void counts_aboveTheLargestCountAreRefused() {
    var error = assertThrows(IllegalArgumentException.class, () -> of(Long.MAX_VALUE, 0, 0, 0));
    assertEquals(
        "counts[0] must be a count from 0 to 1125899906842624, got 9223372036854775807",
        error.getMessage());
  }
}
