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
 * The serving path's side of capture: per model the policy the signed desired state carries for the
 * version it assigns, a sampler that decides on the request thread, and a bounded queue the sampled
 * request goes into without waiting (full: dropped and counted). {@link CaptureWriter} empties the
 * queue. Only requests served by the assigned version are sampled: while a newly assigned version
 * is installed the one still serving is not, and the version swapped in is sampled from its first
 * request.
 */
public final class Capture {
  private final Map<String, Sampling> samplers = new ConcurrentHashMap<>();
  private final Map<String, String> switchedOff = new ConcurrentHashMap<>();
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
   * Sets a model's policy, as the accepted desired state says for the version it assigns; no
   * policy, or one whose selector does not match this device, switches it off. The same policy for
   * a new version keeps its caps' counts. (A release that forbids capture is checked per request,
   * on the version that serves it.)
   *
   * @param model the model
   * @param version the version the desired state assigns, whose requests the policy samples
   * @param policy the policy, or null for none
   * @param labels this device's labels
   */
  public void configure(
      String model, String version, CapturePolicy policy, Map<String, String> labels) {
    if (policy == null || !policy.appliesTo(labels)) {
      samplers.remove(model);
      switchedOff.put(model, version);
      return;
    }
    switchedOff.remove(model);
    Sampling now = samplers.get(model);
    if (now == null || !now.sampler().policy().equals(policy)) {
      samplers.put(model, new Sampling(version, new CaptureSampler(policy, clock, random)));
    } else if (!now.version().equals(version)) {
      samplers.put(model, new Sampling(version, now.sampler()));
    }
  }

  /**
   * Switches capture off for every model not named.
   *
   * @param models the models the accepted state assigns
   */
  public void keepOnly(java.util.Set<String> models) {
    samplers.keySet().retainAll(models);
    switchedOff.keySet().retainAll(models);
  }

  /**
   * Whether capture is switched off for a model version the accepted state assigns: it assigns that
   * version with no policy, or one whose selector leaves this device out. Its samples not yet
   * uploaded are then deleted, never sent: capture off means nothing more leaves the device. (The
   * samples of a version no longer assigned still go: the hub takes them under the rollout that
   * assigned it.)
   *
   * @param model the model
   * @param version the version
   * @return true when its samples are to be withheld
   */
  public boolean switchedOff(String model, String version) {
    return version.equals(switchedOff.get(model));
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
    Sampling sampling = samplers.get(model);
    if (sampling == null || forbidden || !sampling.version().equals(version)) {
      return;
    }
    CaptureSampler sampler = sampling.sampler();
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
            policy.tensors().inputs() ? detached(inputs) : List.of(),
            policy.tensors().outputs() ? List.copyOf(outputs) : List.of());
    if (queue.offer(sample)) {
      meters.captured.incrementAndGet();
    } else {
      meters.dropped.incrementAndGet();
    }
  }

  /** A model's sampler and the version whose requests it samples. */
  private record Sampling(String version, CaptureSampler sampler) {}

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

  /** Inputs that may lie in a request body's memory, reused once the request is answered. */
  private static List<ArrayTensor> detached(List<ArrayTensor> inputs) {
    return inputs.stream().map(ArrayTensor::detached).toList();
  }
}
