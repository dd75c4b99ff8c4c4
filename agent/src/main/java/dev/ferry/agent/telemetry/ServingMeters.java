package dev.ferry.agent.telemetry;

import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.device.ModelTelemetry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What each model version serves, counted once ({@link ModelMeter}) and read twice: by the
 * telemetry batches and, through Micrometer, by {@code /q/metrics} ({@code
 * ferry_inference_requests_total}, {@code ferry_inference_errors_total}, {@code
 * ferry_inference_seconds} histogram), tagged with model, version, release variant (empty for a
 * release of one model file, as the hub counts it) and execution provider.
 */
@ApplicationScoped
public class ServingMeters {
  /** Errors of a request a version could not run (inside ONNX Runtime). */
  public static final String INFERENCE_FAILED = "inference_failed";

  /** Errors of a request that does not fit the version's inputs (shape, datatype, names). */
  public static final String INVALID_REQUEST = "invalid_request";

  private static final Duration[] BOUNDS =
      LatencyHistogram.STANDARD_BOUNDS_MILLIS.stream()
          .map(millis -> Duration.ofNanos((long) (millis * 1_000_000)))
          .toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final Map<ServedBy, ModelMeter> meters = new ConcurrentHashMap<>();
  private final Map<ServedBy, Timer> timers = new ConcurrentHashMap<>();
  private final Set<List<Object>> errorSeries = ConcurrentHashMap.newKeySet();

  ServingMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Counts one request.
   *
   * @param key the version that handled it, its variant and its execution provider
   * @param nanos how long it took
   * @param errorReason null when it succeeded, else {@link #INFERENCE_FAILED} or {@link
   *     #INVALID_REQUEST}
   */
  public void record(ServedBy key, long nanos, String errorReason) {
    meters.computeIfAbsent(key, this::register).record(nanos, errorReason);
    timers.get(key).record(nanos, TimeUnit.NANOSECONDS);
    if (errorReason != null && errorSeries.add(List.of(key, errorReason))) {
      ModelMeter meter = meters.get(key);
      FunctionCounter.builder("ferry.inference.errors", meter, m -> m.errors(errorReason))
          .tags(tags(key).and("reason", errorReason))
          .description("Inference requests that failed, by reason")
          .register(registry);
    }
  }

  /** The counts of every model version since the agent started. */
  public List<ModelTelemetry> cumulative() {
    return meters.values().stream().map(ModelMeter::cumulative).toList();
  }

  private ModelMeter register(ServedBy key) {
    ModelMeter meter = new ModelMeter(key);
    FunctionCounter.builder("ferry.inference.requests", meter, ModelMeter::requests)
        .tags(tags(key))
        .description("Inference requests a model version handled")
        .register(registry);
    timers.put(
        key,
        Timer.builder("ferry.inference")
            .tags(tags(key))
            .description("Inference latency of a model version")
            .serviceLevelObjectives(BOUNDS)
            .register(registry));
    return meter;
  }

  private static Tags tags(ServedBy key) {
    return Tags.of(
        "model", key.model(),
        "version", key.version(),
        "variant", key.variant() == null ? "" : key.variant(),
        "provider", key.provider());
  }
}
