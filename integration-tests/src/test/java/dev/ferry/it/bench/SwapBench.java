package dev.ferry.it.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.testing.TestHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * B4 and B5: hot swaps of a model while threads send requests back to back: failed requests, p99 of
 * the requests sent in the swap windows against the others; each swap's latency from the agent's
 * events (desired accepted → verified → validated, the new version answering → activated, its state
 * recorded on disk) against an ONNX Runtime session creation plus one golden run of the same model
 * in this JVM; and the swaps again with each release prefetched before its assignment.
 */
final class SwapBench {
  /** What was measured. */
  record Result(
      List<Double> acceptedToActivatedMillis,
      List<Double> verifiedToActivatedMillis,
      List<Double> verifiedToValidatedMillis,
      List<Double> baselineMillis,
      List<Double> prefetchedAcceptedToActivatedMillis,
      List<Double> prefetchedVerifiedToActivatedMillis,
      int requests,
      List<String> failures,
      double steadyP99,
      double swapP99,
      int steadyRequests,
      int swapRequests) {}

  private SwapBench() {}

  /**
   * @param model the model swapped, one version of it (a tagged copy) per swap
   */
  static Result run(
      java.nio.file.Path dir, BenchModel model, int swaps, int threads, long pauseMillis)
      throws Exception {
    try (AgentRig rig = new AgentRig(dir)) {
      List<TestHub.Release> releases = new ArrayList<>();
      for (int i = 1; i <= 3 * swaps + 1; i++) {
        releases.add(rig.publish(model, i + ".0.0"));
      }
      String body = model.request();
      rig.startFresh();
      rig.assign(releases.get(0));
      rig.oip().awaitVersion(model.name(), body, "1.0.0");

      // B5: swaps on an idle agent, each timed from its own events
      List<Double> total = new ArrayList<>();
      List<Double> load = new ArrayList<>();
      List<Double> answering = new ArrayList<>();
      int version = 1;
      for (int i = 0; i < swaps; i++) {
        TimeUnit.MILLISECONDS.sleep(pauseMillis);
        Swap swap = swap(rig, model.name(), releases.get(version++), body);
        total.add(swap.acceptedToActivated());
        load.add(swap.verifiedToActivated());
        answering.add(swap.verifiedToValidated());
      }
      // B4: as many swaps again while threads send requests back to back
      List<long[]> windows = new ArrayList<>();
      Load requests = new Load(threads, () -> BenchClient.json(rig.agent(), model.name(), body));
      try (requests) {
        for (int i = 0; i < swaps; i++) {
          TimeUnit.MILLISECONDS.sleep(pauseMillis);
          long from = System.nanoTime();
          swap(rig, model.name(), releases.get(version++), body);
          windows.add(new long[] {from, System.nanoTime() + 1_000_000_000L});
        }
        TimeUnit.MILLISECONDS.sleep(pauseMillis);
      }
      // B5 again, each release prefetched before its assignment: the swap loads from the cache
      List<Double> prefetchedTotal = new ArrayList<>();
      List<Double> prefetchedLoad = new ArrayList<>();
      for (int i = 0; i < swaps; i++) {
        TestHub.Release serving = releases.get(version - 1);
        TestHub.Release ahead = releases.get(version++);
        int mark = rig.prefetch(serving, ahead);
        rig.await(mark, EventType.PREFETCHED, ahead.version(), Duration.ofSeconds(60));
        TimeUnit.MILLISECONDS.sleep(pauseMillis);
        Swap swap = swap(rig, model.name(), ahead, body);
        prefetchedTotal.add(swap.acceptedToActivated());
        prefetchedLoad.add(swap.verifiedToActivated());
      }
      List<Long> steady = requests.latencies(windows, false);
      List<Long> swapping = requests.latencies(windows, true);
      rig.stop();
      return new Result(
          total,
          load,
          answering,
          baseline(rig, model, releases.subList(1, swaps + 1)),
          prefetchedTotal,
          prefetchedLoad,
          requests.requests(),
          requests.failures(),
          Stats.quantileMillis(steady, 0.99),
          Stats.quantileMillis(swapping, 0.99),
          steady.size(),
          swapping.size());
    }
  }

  /** One swap's figures from the agent's events, in milliseconds. */
  private record Swap(
      double acceptedToActivated, double verifiedToActivated, double verifiedToValidated) {}

  /** Sends a release and waits until it answers. */
  private static Swap swap(AgentRig rig, String model, TestHub.Release release, String body)
      throws Exception {
    int mark = rig.assign(release);
    Duration timeout = Duration.ofSeconds(60);
    DeviceEvent accepted = rig.await(mark, EventType.DESIRED_ACCEPTED, null, timeout);
    DeviceEvent verified = rig.await(mark, EventType.VERIFIED, release.version(), timeout);
    DeviceEvent validated = rig.await(mark, EventType.VALIDATED, release.version(), timeout);
    DeviceEvent activated = rig.await(mark, EventType.ACTIVATED, release.version(), timeout);
    rig.oip().awaitVersion(model, body, release.version());
    return new Swap(
        Duration.between(accepted.at(), activated.at()).toNanos() / 1e6,
        Duration.between(verified.at(), activated.at()).toNanos() / 1e6,
        Duration.between(verified.at(), validated.at()).toNanos() / 1e6);
  }

  /** Session creation and one golden run of each version's file, as the agent does, alone. */
  private static List<Double> baseline(
      AgentRig rig, BenchModel model, List<TestHub.Release> releases) throws Exception {
    List<Double> millis = new ArrayList<>();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (TestHub.Release release : releases) {
      long start = System.nanoTime();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
          OrtSession session =
              env.createSession(
                  rig.modelFile(release.model(), release.version()).toString(), options);
          OnnxTensor tensor = model.tensor(env);
          OrtSession.Result result = session.run(Map.of(model.input(), tensor))) {
        if (result.size() == 0) {
          throw new AssertionError("no output from " + release.version());
        }
      }
      millis.add((System.nanoTime() - start) / 1e6);
    }
    return millis;
  }
}
