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
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B9, what data capture costs: serving throughput of a real model (PaddleOCR's classifier, binary
 * tensors) with capture at 0 % and 1 %, in many short phases that alternate after a long warm-up
 * (one version, its rollout's policy switched between phases), so that drift and noise fall on both
 * settings alike; the spool's write rate at 100 % (the agent runs without a hub URL then, so
 * nothing is uploaded meanwhile), the agent's upload rate draining that spool once it has the hub
 * again (samples of three versions, two of them replaced while it was offline), and the hub's
 * ingest of uploads from several connections at once.
 */
class CaptureBenchmark {
  private static final int CONCURRENCY = Integer.getInteger("bench.capture.concurrency", 2);
  private static final long WINDOW_MILLIS = Long.getLong("bench.capture.window-ms", 3000);
  private static final long WARMUP_MILLIS = Long.getLong("bench.capture.warmup-ms", 60_000);
  private static final long PHASE_MILLIS = Long.getLong("bench.capture.phase-ms", 4000);
  private static final int PAIRS = Integer.getInteger("bench.capture.pairs", 10);

  /**
   * The agent's CPUs while it serves, and those of this JVM (load client) and the hub; unpinned.
   */
  private static final CpuList AGENT_CPUS = CpuList.property("bench.agent.cpus");

  private static final CpuList CLIENT_CPUS = CpuList.property("bench.client.cpus");
  private static final int INGEST_CONNECTIONS = 4;
  private static final int INGEST_CHUNK = 16;
  private static final double ONE_PERCENT = 0.01;
  private static final String UPLOAD_ROUTE = "/api/v1/devices/{id}/captures";

  /** The version warmed up on (1 %), the one the phases alternate on, the one at 100 %. */
  private static final String WARM = "1.0.0";

  private static final String ALTERNATING = "1.0.1";
  private static final String FULL = "1.0.2";

  @TempDir Path dir;

  @Test
  void captureCosts() throws Exception {
    System.out.println(Environment.describe());
    BenchModel model = BenchModel.ocrClassifier();
    try (CaptureFleet fleet = CaptureFleet.start(dir)) {
      publish(fleet, model, WARM, ONE_PERCENT);
      publish(fleet, model, ALTERNATING, null);
      publish(fleet, model, FULL, 1.0);
      String device = "capture-bench-" + fleet.prefix;
      Map<String, String> env = fleet.agentEnv(device);
      env.put("FERRY_AGENT_CAPTURE_SPOOL_MAX_BYTES", String.valueOf(16L << 30));
      try (JarProcess enrolling = JarProcess.start("agent", env, dir.resolve("enroll.log"))) {
        fleet.rollOut(model.name(), WARM, device, new Oip(enrolling), model.request());
      }
      serve(fleet, model, device, env);
      Path spool = dir.resolve(device).resolve("capture");
      SpoolFiles files = SpoolFiles.of(spool);
      CaptureSample template = template(spool);
      upload(fleet, env, files.samples(), files.sampleBytes());
      ingest(fleet, device, template);
    }
  }

  /** Publishes a version with a version policy at a rate, or none (capture off). */
  private static void publish(CaptureFleet fleet, BenchModel model, String version, Double rate)
      throws Exception {
    String shapes =
        model.input()
            + "="
            + java.util.Arrays.stream(model.shape())
                .mapToObj(Long::toString)
                .collect(java.util.stream.Collectors.joining(","));
    fleet.ferry.run(
        "publish", model.name(), model.file().toString(), "--version", version, "--shapes", shapes);
    if (rate != null) {
      fleet.ferry.run(
          "capture",
          "policy-set",
          model.name(),
          version,
          "--rate",
          String.valueOf(rate),
          "--max-per-hour",
          "1000000000",
          "--max-bytes-per-day",
          String.valueOf(1L << 40));
    }
  }

  /**
   * Serves without a hub URL: the warm-up at 1 %, the alternating phases, the 100 % phase; then
   * waits for the writer to drain its queue. The agent runs on {@link #AGENT_CPUS}, this JVM and
   * the hub on {@link #CLIENT_CPUS} meanwhile (all the CPUs again after).
   */
  private void serve(CaptureFleet fleet, BenchModel model, String device, Map<String, String> env)
      throws Exception {
    Map<String, String> offline = new java.util.HashMap<>(env);
    offline.remove("FERRY_AGENT_HUB_URL");
    offline.remove("FERRY_AGENT_ENROLLMENT_TOKEN_FILE");
    BenchModel.BinaryRequest body = model.binaryRequest();
    System.out.printf("serving: agent on %s, load client and hub on %s%n", AGENT_CPUS, CLIENT_CPUS);
    CLIENT_CPUS.pin(ProcessHandle.current().pid());
    CLIENT_CPUS.pin(fleet.hub.pid());
    try (JarProcess agent =
        JarProcess.startOnCpus(AGENT_CPUS.cpus(), "agent", offline, dir.resolve("agent.log"))) {
      Oip oip = new Oip(agent);
      ProcessCpu cpu = new ProcessCpu(agent.pid());
      List<String> failures;
      try (Load load = new Load(CONCURRENCY, () -> BenchClient.binary(agent, model.name(), body))) {
        TimeUnit.MILLISECONDS.sleep(WARMUP_MILLIS);
        // rate 0 before the swap: else the new version's first requests are sampled at 1 % under
        // the old version's policy until the agent's capture tick, and the hub refuses them
        String versions = "/api/v1/models/" + model.name() + "/versions/";
        new CaptureSwitch(fleet.api, versions + WARM + "/captures/policy", load, oip).to(0);
        String rollout = fleet.api.rollout(model.name(), ALTERNATING, devices(device));
        oip.awaitVersion(model.name(), model.request(), ALTERNATING);
        TimeUnit.MILLISECONDS.sleep(WARMUP_MILLIS / 4);
        String policy = "/api/v1/rollouts/" + rollout + "/capture-policy";
        alternate(new CaptureSwitch(fleet.api, policy, load, oip), oip, cpu);
        fleet.rollOut(model.name(), FULL, device, oip, model.request());
        new CaptureSwitch(fleet.api, versions + FULL + "/captures/policy", load, oip).to(1);
        full(load, oip, cpu);
        failures = load.failures();
      }
      assertEquals(List.of(), failures, "failed requests");
      // a full queue drops (and counts) rather than slow a request: at 100 % it may
      settled(oip);
    } finally {
      if (CLIENT_CPUS.pins()) {
        CpuList.ALL.pin(ProcessHandle.current().pid());
        CpuList.ALL.pin(fleet.hub.pid());
      }
    }
  }

  private static String devices(String device) {
    return "\"devices\":[\"" + device + "\"]";
  }

  /**
   * 0 %, 1 %, 0 %, 1 % … 0 %: {@link #PAIRS} 1 % phases, each compared with the mean of the 0 %
   * phases on either side of it (a linear drift cancels), the policy switched before every phase;
   * by throughput, and by the agent process's CPU time per request (which the load client, sharing
   * the cores, does not move as much).
   */
  private static void alternate(CaptureSwitch toggle, Oip oip, ProcessCpu cpu) throws Exception {
    System.out.printf(
        "| phase | capture | req/s | p50 ms | p99 ms | captured/s | dropped/s | requests"
            + " | agent CPU %% | agent CPU µs/req | writer %% of agent CPU |%n");
    List<Phase> phases = new ArrayList<>();
    for (int i = 0; i <= 2 * PAIRS; i++) {
      boolean on = i % 2 == 1;
      toggle.to(on ? ONE_PERCENT : 0);
      Phase phase = Phase.measure(toggle.load(), oip, cpu, PHASE_MILLIS);
      phases.add(phase);
      System.out.println(phase.row(i + 1, on ? "1 %" : "0 %"));
    }
    // fewer requests a second is the cost: 1 - (1 % phase) / (0 % phases)
    printCost("throughput", paired(phases, Phase::perSecond).stream().map(d -> -d).toList());
    printCost("agent CPU per request", paired(phases, Phase::cpuMicrosPerRequest));
    List<Double> writer = new ArrayList<>();
    for (int i = 1; i < phases.size(); i += 2) {
      writer.add(phases.get(i).writerShare());
    }
    List<Double> sorted = writer.stream().sorted().toList();
    System.out.printf(
        "capture writer thread at 1 %%: median %.2f %% of the agent's CPU time (range %.2f to %.2f"
            + " %%)%n",
        100 * Stats.median(writer), 100 * sorted.get(0), 100 * sorted.get(sorted.size() - 1));
  }

  /** Each 1 % phase's measure over the mean of the 0 % phases on either side, less one. */
  private static List<Double> paired(List<Phase> phases, ToDoubleFunction<Phase> measure) {
    List<Double> costs = new ArrayList<>();
    for (int i = 1; i < phases.size(); i += 2) {
      double off =
          (measure.applyAsDouble(phases.get(i - 1)) + measure.applyAsDouble(phases.get(i + 1))) / 2;
      costs.add(measure.applyAsDouble(phases.get(i)) / off - 1);
    }
    return costs;
  }

  private static void printCost(String measure, List<Double> costs) {
    List<Double> sorted = costs.stream().sorted().toList();
    System.out.printf(
        "cost at 1 %% by %s: median of %d paired differences %.2f %%; quartiles %.2f / %.2f %%;"
            + " range %.2f to %.2f %% (positive: capture costs more)%n",
        measure,
        costs.size(),
        100 * Stats.median(costs),
        100 * sorted.get(sorted.size() / 4),
        100 * sorted.get((3 * sorted.size()) / 4),
        100 * sorted.get(0),
        100 * sorted.get(sorted.size() - 1));
    System.out.println("  differences: " + costs);
  }

  /** The spool's write rate at 100 %, over three windows. */
  private static void full(Load load, Oip oip, ProcessCpu cpu) throws Exception {
    List<Phase> windows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      windows.add(Phase.measure(load, oip, cpu, WINDOW_MILLIS));
      System.out.println(windows.get(i).row(i + 1, "100 %"));
    }
    System.out.printf(
        "100 %%: %.1f req/s, %.1f samples/s spooled, %.1f/s dropped (windows' means)%n",
        windows.stream().mapToDouble(Phase::perSecond).average().orElse(0),
        windows.stream().mapToDouble(Phase::spooledPerSecond).average().orElse(0),
        windows.stream().mapToDouble(Phase::droppedPerSecond).average().orElse(0));
  }

  /**
   * Waits until the spooled count has held for 1 s: the writer has (most likely) drained its queue.
   * What it wrote before the agent stopped is counted from the spool's files, not from here: a
   * writer held up by the disk longer than that still writes its last samples.
   */
  private static void settled(Oip oip) throws Exception {
    long last = -1;
    long now = CaptureFleet.captureCount(oip, "spooled");
    while (now != last) {
      last = now;
      TimeUnit.SECONDS.sleep(1);
      now = CaptureFleet.captureCount(oip, "spooled");
    }
  }

  /** The spool's sample files once the serving agent has stopped: how many, their mean size. */
  private record SpoolFiles(long samples, long sampleBytes) {
    static SpoolFiles of(Path spool) throws Exception {
      try (Stream<Path> files = Files.list(spool)) {
        List<Path> samples = files.filter(f -> f.toString().endsWith(".json")).toList();
        long total = 0;
        for (Path file : samples) {
          total += Files.size(file);
        }
        System.out.printf(
            "spool: %d samples, %.1f MB, %d bytes a sample%n",
            samples.size(), total / 1e6, total / samples.size());
        return new SpoolFiles(samples.size(), total / samples.size());
      }
    }
  }

  /**
   * Starts the agent with the hub again and times the spool's drain by its counters: samples of all
   * three versions, the first two replaced while it was offline, all taken; and the hub's ingest in
   * the same run, by the time the hub itself spent answering those uploads.
   */
  private void upload(CaptureFleet fleet, Map<String, String> env, long spooled, long sampleBytes)
      throws Exception {
    RequestTime hubBefore = RequestTime.of(fleet.hub, UPLOAD_ROUTE);
    try (JarProcess agent = JarProcess.start("agent", env, dir.resolve("upload.log"))) {
      Oip oip = new Oip(agent);
      long first = 0;
      long uploaded = 0;
      long refused = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (uploaded + refused < spooled && System.nanoTime() < deadline) {
        uploaded = CaptureFleet.captureCount(oip, "uploaded");
        refused = CaptureFleet.captureCount(oip, "refused");
        if (uploaded > 0 && first == 0) {
          first = System.nanoTime();
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      double seconds = (System.nanoTime() - first) / 1e9;
      System.out.printf(
          "upload: %d samples (%d refused) in %.1f s after the first receipt: %.0f samples/s,"
              + " %.1f MB/s%n",
          uploaded, refused, seconds, uploaded / seconds, uploaded * sampleBytes / seconds / 1e6);
      RequestTime hub = RequestTime.of(fleet.hub, UPLOAD_ROUTE).since(hubBefore);
      System.out.printf(
          "hub ingest in that upload: %d samples in %d uploads, answered in %.1f s of the hub's"
              + " request time (%.0f %% of the upload's): %.0f samples/s, %.1f MB/s%n",
          uploaded,
          hub.requests(),
          hub.seconds(),
          100 * hub.seconds() / seconds,
          uploaded / hub.seconds(),
          uploaded * sampleBytes / hub.seconds() / 1e6);
      assertEquals(0, refused, "samples refused");
      assertEquals(spooled, uploaded, "samples uploaded");
    }
  }

  /**
   * Uploads chunks of new samples as the benchmark's device (the hub takes samples only from a
   * device a rollout assigned their version, with capture on) over several connections at once, for
   * 20 s; the hub serialises one device's uploads on its row, so this is the hub's rate for one
   * device.
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
      return new CaptureSample(
          last.id(), last.model(), FULL, last.capturedAt(), false, last.tensors());
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
