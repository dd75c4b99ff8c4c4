package dev.ferry.it.bench;

import dev.ferry.protocol.testing.Services;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * B1 to B5 and B8 of BENCHMARKS.md at full size, not run in CI ({@code BenchmarkSmokeIT} runs the
 * same code small). Prints the environment and a Markdown table, and writes both to {@code
 * integration-tests/target/bench/}. Run with the other benchmarks:
 *
 * <pre>
 * mvn -B -DskipTests install -pl .,protocol,hub,agent
 * mvn -B verify -Pbench -pl integration-tests                      # B1–B8
 * mvn -B verify -Pbench -pl integration-tests -Dit.test=AgentBenchmark#transfer   # one group
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentBenchmark {
  /**
   * How long each path of a model (JSON, binary, gRPC, in-process) is driven before its points are
   * measured ({@code -Dbench.warm-up-seconds}, default 10; 0 measures as the runs before 2026-12-06
   * 22:00 did).
   */
  private static final long WARM_UP_MILLIS =
      TimeUnit.SECONDS.toMillis(Long.getLong("bench.warm-up-seconds", 10));

  private final Report report = new Report();
  @TempDir Path dir;

  @BeforeAll
  void environment() {
    System.out.println(Environment.describe());
  }

  @AfterAll
  void write() throws Exception {
    report.write(Services.root().resolve("integration-tests/target/bench"), "agent");
  }

  @Test
  void transfer() throws Exception {
    TransferBench.Result r = TransferBench.run(dir.resolve("transfer"), 1L << 30, 5);
    report.row(
        "B1",
        String.format(
            "1 GiB model layer, median of %d: Ferry agent %.2f s, skopeo copy %.2f s, curl | tee |"
                + " sha256sum %.2f s; Ferry/skopeo %.2f, Ferry/floor %.2f (runs: %s; %s; %s)",
            r.ferrySeconds().size(),
            r.ferry(),
            r.skopeo(),
            r.floor(),
            r.ferry() / r.skopeo(),
            r.ferry() / r.floor(),
            seconds(r.ferrySeconds()),
            seconds(r.skopeoSeconds()),
            seconds(r.floorSeconds())),
        "faster than skopeo: "
            + Report.verdict(r.ferry() < r.skopeo())
            + "; ≤ 1.2× floor: "
            + Report.verdict(r.ferry() <= 1.2 * r.floor()));
    report.row(
        "B2",
        String.format(
            "cut at 50%%, resumed: %,d bytes through the proxy for a %,d-byte blob (%.4f×)",
            r.resumedForwardedBytes(), r.blobBytes(), r.resumeRatio()),
        "≤ 1.01×: " + Report.verdict(r.resumeRatio() <= 1.01));
  }

  @Test
  void grpcOverALink() throws Exception {
    BenchModel detector = BenchModel.ocrDetector();
    for (GrpcLinkBench.Point p :
        GrpcLinkBench.run(dir.resolve("link"), detector, new int[] {0, 5, 25}, 15)) {
      report.row(
          "B3",
          String.format(
              "%s, gRPC from one caller over a link of %d ms each way, the agent's HTTP/2 window"
                  + " %s: p50 %.1f ms (%.1f–%.1f)",
              detector,
              p.delayMillis(),
              p.window().equals("shipped") ? "as shipped (4 MiB)" : "64 KiB (HTTP/2's default)",
              p.p50(),
              p.min(),
              p.max()),
          "report");
    }
  }

  @Test
  void servingAndFootprint() throws Exception {
    List<BenchModel> models =
        List.of(
            BenchModel.ocrClassifier(),
            BenchModel.ocrRecognizer(),
            BenchModel.ocrDetector(),
            BenchModel.generated("tiny", 4, dir));
    models = only(models, System.getProperty("bench.models", ""));
    ServingBench.Result r =
        ServingBench.run(
            dir.resolve("serving"), models, new int[] {1, 2, 4, 8}, WARM_UP_MILLIS, 3000, 10, 3);
    Map<BenchModel, Double> runMillis = new HashMap<>();
    for (ServingBench.Point p : r.points()) {
      if (p.concurrency() == 1) {
        runMillis.put(p.model(), p.inProcessP50());
      }
    }
    for (ServingBench.Point p : r.points()) {
      double ratio = p.agentPerSecond() / p.inProcessPerSecond();
      double binaryRatio = p.binaryPerSecond() / p.inProcessPerSecond();
      double added = p.agentP50() - p.inProcessP50();
      double binaryAdded = p.binaryP50() - p.inProcessP50();
      double grpcRatio = p.grpcPerSecond() / p.inProcessPerSecond();
      double grpcAdded = p.grpcP50() - p.inProcessP50();
      double run = runMillis.getOrDefault(p.model(), 0.0);
      report.row(
          "B3",
          String.format(
              "%s, concurrency %d: agent JSON %.0f/s p50 %.2f ms p99 %.2f ms, binary %.0f/s p50"
                  + " %.2f ms p99 %.2f ms, gRPC %.0f/s p50 %.2f ms p99 %.2f ms; in-process %.0f/s"
                  + " p50 %.2f ms p99 %.2f ms; ratio JSON %.2f binary %.2f gRPC %.2f, added p50"
                  + " JSON %.0f µs binary %.0f µs gRPC %.0f µs%s",
              p.model(),
              p.concurrency(),
              p.agentPerSecond(),
              p.agentP50(),
              p.agentP99(),
              p.binaryPerSecond(),
              p.binaryP50(),
              p.binaryP99(),
              p.grpcPerSecond(),
              p.grpcP50(),
              p.grpcP99(),
              p.inProcessPerSecond(),
              p.inProcessP50(),
              p.inProcessP99(),
              ratio,
              binaryRatio,
              grpcRatio,
              added * 1000,
              binaryAdded * 1000,
              grpcAdded * 1000,
              p.stable() ? "" : " (not stable within 10% in 10 windows)"),
          run >= 5
              ? "≥ 0.9 of in-process: JSON "
                  + Report.verdict(ratio >= 0.9)
                  + ", binary "
                  + Report.verdict(binaryRatio >= 0.9)
                  + ", gRPC "
                  + Report.verdict(grpcRatio >= 0.9)
              : run < 1
                  ? "≤ 200 µs added p50: JSON "
                      + Report.verdict(added <= 0.2)
                      + ", binary "
                      + Report.verdict(binaryAdded <= 0.2)
                      + ", gRPC "
                      + Report.verdict(grpcAdded <= 0.2)
                  : String.format("report (a %.1f ms model: neither goal's kind)", run));
    }
    report.row(
        "B8",
        String.format(
            "agent RSS idle %.0f MiB, with the B3 models %.0f MiB; start to ready offline from"
                + " cache: JVM %s s%s",
            r.idleRssMiB(),
            r.modelsRssMiB(),
            seconds(r.startSeconds()),
            r.appCdsStartSeconds().isEmpty()
                ? " (no AppCDS archive built)"
                : ", AppCDS " + seconds(r.appCdsStartSeconds()) + " s"),
        "report (AOT cache: integration-tests/bench/agent-starts.sh)");
    if (!r.failures().isEmpty()) {
      report.note("B3 failed requests: " + r.failures().size() + ", first " + r.failures().get(0));
    }
  }

  /**
   * The models named in a comma-separated list ({@code -Dbench.models=tiny,ocr-det}); all when the
   * list is empty.
   */
  private static List<BenchModel> only(List<BenchModel> models, String names) {
    if (names.isBlank()) {
      return models;
    }
    List<String> wanted = List.of(names.split(","));
    return models.stream().filter(m -> wanted.contains(m.name())).toList();
  }

  /** B3 per variant: two real models served at FP32 and with FP16 weights, on CPU. */
  @Test
  void servingPerVariant() throws Exception {
    List<BenchModel> models = new ArrayList<>();
    for (BenchModel fp32 : List.of(BenchModel.ocrClassifier(), BenchModel.ocrRecognizer())) {
      models.add(fp32);
      models.add(BenchModel.halfOf(fp32, dir));
    }
    ServingBench.Result r =
        ServingBench.run(
            dir.resolve("variants"), models, new int[] {1, 4}, WARM_UP_MILLIS, 3000, 10, 0);
    for (ServingBench.Point p : r.points()) {
      report.row(
          "B3 per variant",
          String.format(
              "%s (%,d bytes), concurrency %d: agent binary %.0f/s p50 %.2f ms p99 %.2f ms, JSON"
                  + " %.0f/s p50 %.2f ms; in-process %.0f/s p50 %.2f ms; binary/in-process %.2f%s",
              p.model(),
              java.nio.file.Files.size(p.model().file()),
              p.concurrency(),
              p.binaryPerSecond(),
              p.binaryP50(),
              p.binaryP99(),
              p.agentPerSecond(),
              p.agentP50(),
              p.inProcessPerSecond(),
              p.inProcessP50(),
              p.binaryPerSecond() / p.inProcessPerSecond(),
              p.stable() ? "" : " (not stable within 10% in 10 windows)"),
          "report");
    }
    if (!r.failures().isEmpty()) {
      report.note(
          "B3 per variant failed requests: "
              + r.failures().size()
              + ", first "
              + r.failures().get(0));
    }
  }

  @Test
  void swaps() throws Exception {
    BenchModel model = BenchModel.ocrRecognizer();
    SwapBench.Result r = SwapBench.run(dir.resolve("swap"), model, 10, 4, 2000);
    report.row(
        "B4",
        String.format(
            "10 swaps of %s under 4 threads: %,d requests, %d failed; p99 steady %.2f ms (%,d), in"
                + " swap windows %.2f ms (%,d): %.2f×",
            model,
            r.requests(),
            r.failures().size(),
            r.steadyP99(),
            r.steadyRequests(),
            r.swapP99(),
            r.swapRequests(),
            r.swapP99() / r.steadyP99()),
        "0 failed: "
            + Report.verdict(r.failures().isEmpty())
            + "; ≤ 1.5× steady p99: "
            + Report.verdict(r.swapP99() <= 1.5 * r.steadyP99()));
    double total = Stats.median(r.acceptedToActivatedMillis());
    double swap = Stats.median(r.verifiedToActivatedMillis());
    double answering = Stats.median(r.verifiedToValidatedMillis());
    double alone = Stats.median(r.baselineMillis());
    report.row(
        "B5",
        String.format(
            "desired accepted → serving median %.0f ms (of which pull and verify %.0f ms, load,"
                + " golden check and swap %.0f ms: the new version answered %.0f ms after"
                + " VERIFIED, its state recorded on disk %.0f ms later); session creation + golden"
                + " run alone %.0f ms",
            total, total - swap, swap, answering, swap - answering, alone),
        "≤ alone + 50 ms: "
            + Report.verdict(total <= alone + 50)
            + " (load and swap alone: "
            + Report.verdict(swap <= alone + 50)
            + "; to answering: "
            + Report.verdict(answering <= alone + 50)
            + ")");
    double prefetched = Stats.median(r.prefetchedAcceptedToActivatedMillis());
    double prefetchedSwap = Stats.median(r.prefetchedVerifiedToActivatedMillis());
    report.row(
        "B5 prefetched",
        String.format(
            "each release prefetched before its assignment (a rollout's later waves): desired"
                + " accepted → serving median %.0f ms (of which the cached artifact's checks %.0f"
                + " ms, load, golden check and swap %.0f ms); session creation + golden run alone"
                + " %.0f ms",
            prefetched, prefetched - prefetchedSwap, prefetchedSwap, alone),
        "≤ alone + 50 ms: " + Report.verdict(prefetched <= alone + 50));
  }

  private static String seconds(List<Double> values) {
    return values.stream().map(v -> String.format("%.2f", v)).collect(Collectors.joining("/"));
  }
}
