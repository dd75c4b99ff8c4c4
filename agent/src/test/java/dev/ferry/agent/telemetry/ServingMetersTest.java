package dev.ferry.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ServingMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ServingMeters meters = new ServingMeters(registry);

  @Test
  void twoVariantsOfOneVersionOnOneProvider_areCountedApart() {
    ServedBy fp32 = new ServedBy("ocr", "1.0.0", "fp32-cpu", "CPU");
    ServedBy fp16 = new ServedBy("ocr", "1.0.0", "fp16-cpu", "CPU");
    meters.record(fp32, 1_000_000, null);
    meters.record(fp16, 1_000_000, null);
    meters.record(fp16, 1_000_000, ServingMeters.INFERENCE_FAILED);

    assertEquals(1, requests("fp32-cpu"));
    assertEquals(2, requests("fp16-cpu"));
    assertEquals(
        1,
        registry
            .get("ferry.inference.errors")
            .tag("variant", "fp16-cpu")
            .tag("reason", ServingMeters.INFERENCE_FAILED)
            .functionCounter()
            .count());
    assertEquals(2, registry.get("ferry.inference").tag("variant", "fp16-cpu").timer().count());
  }

  @Test
  void aReleaseOfOneModelFile_hasAnEmptyVariantLabel() {
    meters.record(new ServedBy("tiny", "2.0.0", null, "CPU"), 1_000, null);

    assertEquals(1, requests(""));
  }

  @Test
  void errorsOnTwoProviders_eachGetTheirOwnSeries() {
    meters.record(new ServedBy("ocr", "1.0.0", null, "CPU"), 1_000, ServingMeters.INVALID_REQUEST);
    meters.record(new ServedBy("ocr", "1.0.0", null, "CUDA"), 1_000, ServingMeters.INVALID_REQUEST);

    assertEquals(
        2, registry.get("ferry.inference.errors").functionCounters().size(), "one per provider");
  }

  private double requests(String variant) {
    return registry
        .get("ferry.inference.requests")
        .tag("variant", variant)
        .functionCounter()
        .count();
  }
}
