package dev.ferry.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.capture.CaptureFleet;
import dev.ferry.it.fleet.JarProcess;
import dev.ferry.it.fleet.Oip;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.json.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B9, what data capture costs: serving throughput of a real model (PaddleOCR's classifier, binary
 * tensors) with capture at 0 %, 1 % and 100 % (versions 1.0.0 … 1.0.4, one policy each, rolled out
 * in turn: 0, 1, 100, 0, 1 %), the spool's write rate at 100 % (the agent runs without a hub URL
 * then, so nothing is uploaded meanwhile), the agent's upload rate draining that spool once it has
 * the hub again, and the hub's ingest of uploads from several devices at once.
 */
class CaptureBenchmark {
  private static final int CONCURRENCY = Integer.getInteger("bench.capture.concurrency", 2);
  private static final long WINDOW_MILLIS = Long.getLong("bench.capture.window-ms", 3000);
  private static final int MAX_WINDOWS = Integer.getInteger("bench.capture.max-windows", 10);
  private static final int INGEST_CONNECTIONS = 4;
  private static final int INGEST_CHUNK = 16;
  private static final double[] RATES = {0, 0.01, 1, 0, 0.01};

  @TempDir Path dir;

  @Test
  void captureCosts() throws Exception {
    System.out.println(Environment.describe());
    BenchModel model = BenchModel.ocrClassifier();
    try (CaptureFleet fleet = CaptureFleet.start(dir)) {
      for (int i = 0; i < RATES.length; i++) {
        publish(fleet, model, i);
      }
      String device = "capture-bench-" + fleet.prefix;
      Map<String, String> env = fleet.agentEnv(device);
      env.put("FERRY_AGENT_CAPTURE_SPOOL_MAX_BYTES", String.valueOf(16L << 30));
      try (JarProcess enrolling = JarProcess.start("agent", env, dir.resolve("enroll.log"))) {
        fleet.rollOut(model.name(), "1.0.0", device, new Oip(enrolling), model.request());
      }
      long spooled = serve(fleet, model, device, env);
      Path spool = dir.resolve(device).resolve("capture");
      long sampleBytes = sampleBytes(spool);
      CaptureSample template = template(spool);
      upload(env, spooled, sampleBytes);
      ingest(fleet, device, template);
    }
  }

  private static void publish(CaptureFleet fleet, BenchModel model, int i) throws Exception {
    String version = "1.0." + i;
    String shapes =
        model.input()
            + "="
            + java.util.Arrays.stream(model.shape())
                .mapToObj(Long::toString)
                .collect(java.util.stream.Collectors.joining(","));
    fleet.ferry.run(
        "publish", model.name(), model.file().toString(), "--version", version, "--shapes", shapes);
    fleet.ferry.run(
        "capture",
        "policy-set",
        model.name(),
        version,
        "--rate",
        String.valueOf(RATES[i]),
        "--max-per-hour",
        "1000000000",
        "--max-bytes-per-day",
        String.valueOf(1L << 40));
  }

  /** Serves each version in turn without a hub URL; returns the samples spooled. */
  private long serve(CaptureFleet fleet, BenchModel model, String device, Map<String, String> env)
      throws Exception {
    Map<String, String> offline = new java.util.HashMap<>(env);
    offline.remove("FERRY_AGENT_HUB_URL");
    offline.remove("FERRY_AGENT_ENROLLMENT_TOKEN_FILE");
    BenchModel.BinaryRequest body = model.binaryRequest();
    System.out.printf(
        "| rate | version | req/s (windows' mean) | p50 ms | p99 ms | spooled/s | dropped/s |%n");
    try (JarProcess agent = JarProcess.start("agent", offline, dir.resolve("agent.log"))) {
      Oip oip = new Oip(agent);
      for (int i = 0; i < RATES.length; i++) {
        String version = "1.0." + i;
        if (i > 0) {
          fleet.rollOut(model.name(), version, device, oip, model.request());
        }
        TimeUnit.SECONDS.sleep(3); // the capture tick (1 s) applies the version's policy
        long before;
        long droppedBefore;
        long start;
        List<Load.Window> windows;
        try (Load load =
            new Load(CONCURRENCY, () -> BenchClient.binary(agent, model.name(), body)::call)) {
          TimeUnit.MILLISECONDS.sleep(WINDOW_MILLIS);
          before = CaptureFleet.captureCount(oip, "spooled");
          droppedBefore = CaptureFleet.captureCount(oip, "dropped");
          start = System.nanoTime();
          windows = load.measureStable(WINDOW_MILLIS, MAX_WINDOWS);
          assertEquals(List.of(), load.failures());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long spooled = CaptureFleet.captureCount(oip, "spooled") - before;
        long dropped = CaptureFleet.captureCount(oip, "dropped") - droppedBefore;
        System.out.printf(
            "| %s %% | %s | %.1f | %.2f | %.2f | %.1f | %.1f |%n",
            RATES[i] * 100,
            version,
            windows.stream().mapToDouble(Load.Window::perSecond).average().orElse(0),
            median(windows.stream().map(Load.Window::p50Millis).toList()),
            median(windows.stream().map(Load.Window::p99Millis).toList()),
            spooled / seconds,
            dropped / seconds);
        System.out.println("  windows: " + windows);
      }
      // a full queue drops (and counts) rather than slow a request: at 100 % it may
      return settled(oip);
    }
  }

  /** The samples spooled once the writer has drained its queue (the count holds for 1 s). */
  private static long settled(Oip oip) throws Exception {
    long last = -1;
    long now = CaptureFleet.captureCount(oip, "spooled");
    while (now != last) {
      last = now;
      TimeUnit.SECONDS.sleep(1);
      now = CaptureFleet.captureCount(oip, "spooled");
    }
    return now;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /** The mean size of a spooled sample file. */
  private static long sampleBytes(Path spool) throws Exception {
    try (Stream<Path> files = Files.list(spool)) {
      List<Path> samples = files.filter(f -> f.toString().endsWith(".json")).toList();
      long total = 0;
      for (Path file : samples) {
        total += Files.size(file);
      }
      System.out.printf(
          "spool: %d samples, %.1f MB, %d bytes a sample%n",
          samples.size(), total / 1e6, total / samples.size());
      return total / samples.size();
    }
  }

  /** Starts the agent with the hub again and times the spool's drain. */
  private void upload(Map<String, String> env, long spooled, long sampleBytes) throws Exception {
    try (JarProcess agent = JarProcess.start("agent", env, dir.resolve("upload.log"))) {
      Oip oip = new Oip(agent);
      long first = 0;
      long uploaded = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (uploaded < spooled && System.nanoTime() < deadline) {
        uploaded = CaptureFleet.captureCount(oip, "uploaded");
        if (uploaded > 0 && first == 0) {
          first = System.nanoTime();
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      double seconds = (System.nanoTime() - first) / 1e9;
      assertEquals(spooled, uploaded, "samples uploaded");
      System.out.printf(
          "upload: %d samples in %.1f s after the first receipt: %.0f samples/s, %.1f MB/s%n",
          uploaded, seconds, uploaded / seconds, uploaded * sampleBytes / seconds / 1e6);
    }
  }

  /**
   * Uploads chunks of new samples as the benchmark's device (the hub takes samples only from a
   * device assigned their version with capture on) over several connections at once, for 20 s; the
   * hub serialises one device's uploads on its row, so this is the hub's rate for one device.
   */
  private void ingest(CaptureFleet fleet, String device, CaptureSample template) throws Exception {
    JsonCodec codec = new JsonCodec();
    String password =
        Files.readString(dir.resolve(device).resolve("identity").resolve("mqtt.password")).strip();
    AtomicLong samples = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < INGEST_CONNECTIONS; i++) {
      String ids = "bench-" + i + "-";
      Thread thread =
          new Thread(
              () -> {
                try {
                  post(
                      fleet.hub.url(), device, password, ids, template, codec, end, samples, bytes);
                } catch (Exception | AssertionError e) {
                  failures.add(e.toString());
                }
              });
      thread.start();
      threads.add(thread);
    }
    long start = System.nanoTime();
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(List.of(), failures);
    System.out.printf(
        "hub ingest: one device over %d connections, %d-sample chunks: %d samples in %.1f s, %.0f"
            + " samples/s, %.1f MB/s%n",
        INGEST_CONNECTIONS,
        INGEST_CHUNK,
        samples.get(),
        seconds,
        samples.get() / seconds,
        bytes.get() / seconds / 1e6);
  }

  /** A sample from the agent's spool, as one of the version it serves last, to send again. */
  private static CaptureSample template(Path spool) throws Exception {
    JsonCodec codec = new JsonCodec();
    try (Stream<Path> files = Files.list(spool)) {
      List<Path> samples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      CaptureSample last =
          codec.decode(Files.readAllBytes(samples.get(samples.size() - 1)), CaptureSample.class);
      String assigned = "1.0." + (RATES.length - 1);
      return new CaptureSample(
          last.id(), last.model(), assigned, last.capturedAt(), false, last.tensors());
    }
  }

  private static void post(
      String hub,
      String device,
      String password,
      String ids,
      CaptureSample template,
      JsonCodec codec,
      long end,
      AtomicLong samples,
      AtomicLong bytes)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((device + ":" + password).getBytes(StandardCharsets.UTF_8));
    long next = 1;
    while (System.nanoTime() < end) {
      List<CaptureSample> chunk = new ArrayList<>();
      for (int i = 0; i < INGEST_CHUNK; i++) {
        chunk.add(
            new CaptureSample(
                ids + next++,
                template.model(),
                template.version(),
                template.capturedAt(),
                false,
                template.tensors()));
      }
      byte[] body = codec.encode(new CaptureUpload(chunk));
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(hub + "/api/v1/devices/" + device + "/captures"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", basic)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(response.statusCode() + " " + response.body());
      }
      samples.addAndGet(INGEST_CHUNK);
      bytes.addAndGet(body.length);
    }
  }
}
