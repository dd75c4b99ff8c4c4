package dev.ferry.agent.capture;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureTensors;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The serving path's side of capture: per model the policy the signed desired state carries, a
 * sampler that decides on the request thread, and a bounded queue the sampled request goes into
 * without waiting (full: dropped and counted). {@link CaptureWriter} empties the queue.
 */
public final class Capture {
  private final Map<String, CaptureSampler> samplers = new ConcurrentHashMap<>();
  private final BlockingQueue<Captured> queue;
  private final CaptureMeters meters;
  private final Clock clock;
  private final RandomGenerator random;

  /**
   * Creates it with no model captured.
   *
   * @param capacity the most sampled requests waiting for the writer
   * @param meters the counts
   * @param clock the clock of the caps
   * @param random the source of the sampling decisions
   */
  public Capture(int capacity, CaptureMeters meters, Clock clock, RandomGenerator random) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.meters = meters;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Sets a model's policy, as the accepted desired state says; no policy, or one whose selector
   * does not match this device, switches it off. (A release that forbids capture is checked per
   * request, on the version that serves it.)
   *
   * @param model the model
   * @param policy the policy, or null for none
   * @param labels this device's labels
   */
  public void configure(String model, CapturePolicy policy, Map<String, String> labels) {
    if (policy == null || !policy.appliesTo(labels)) {
      samplers.remove(model);
    } else if (!samplers.containsKey(model) || !samplers.get(model).policy().equals(policy)) {
      samplers.put(model, new CaptureSampler(policy, clock, random));
    }
  }

  /**
   * Switches capture off for every model not named.
   *
   * @param models the models the accepted state assigns
   */
  public void keepOnly(java.util.Set<String> models) {
    samplers.keySet().retainAll(models);
  }

  /**
   * Offers a served request; returns at once. Does nothing unless the model's policy samples it.
   *
   * @param model the model
   * @param version the version that served it
   * @param forbidden whether that version's release forbids capture
   * @param inputs the request's inputs
   * @param outputs the answer's outputs; empty when inference failed
   * @param failed whether inference failed
   */
  public void offer(
      String model,
      String version,
      boolean forbidden,
      List<ArrayTensor> inputs,
      Collection<ArrayTensor> outputs,
      boolean failed) {
    CaptureSampler sampler = samplers.get(model);
    if (sampler == null || forbidden) {
      return;
    }
    CapturePolicy policy = sampler.policy();
    if (!sampler.drawn(sampler.interesting(failed, confidence(policy, outputs)))
        || !sampler.charged(bytes(kept(policy.tensors(), inputs, outputs)))) {
      return;
    }
    Captured sample =
        new Captured(
            model,
            version,
            clock.instant(),
            failed,
            policy.tensors(),
            policy.tensors().inputs() ? inputs : List.of(),
            policy.tensors().outputs() ? List.copyOf(outputs) : List.of());
    if (queue.offer(sample)) {
      meters.captured.incrementAndGet();
    } else {
      meters.dropped.incrementAndGet();
    }
  }

  /** The queue the writer takes from. */
  BlockingQueue<Captured> queue() {
    return queue;
  }

  private static List<ArrayTensor> kept(
      CaptureTensors tensors, List<ArrayTensor> inputs, Collection<ArrayTensor> outputs) {
    return java.util.stream.Stream.concat(
            tensors.inputs() ? inputs.stream() : java.util.stream.Stream.empty(),
            tensors.outputs() ? outputs.stream() : java.util.stream.Stream.empty())
        .filter(TensorBytes::capturable)
        .toList();
  }

  private static long bytes(List<ArrayTensor> tensors) {
    return tensors.stream().mapToLong(TensorBytes::size).sum();
  }

  /**
   * The largest element of the policy's confidence output; NaN when the policy has no threshold or
   * there is no such output.
   */
  private static double confidence(CapturePolicy policy, Collection<ArrayTensor> outputs) {
    if (policy.confidenceBelow() == null) {
      return Double.NaN;
    }
    return outputs.stream()
        .filter(t -> t.name().equals(policy.confidenceOutput()) && t.elements() instanceof float[])
        .mapToDouble(t -> max((float[]) t.elements()))
        .findFirst()
        .orElse(Double.NaN);
  }

  private static double max(float[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (float value : values) {
      max = Math.max(max, value);
    }
    return max;
  }
}
