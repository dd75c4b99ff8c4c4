package dev.ferry.hub.packaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Publish time of a 100 MiB and a 1 GiB model against {@code cp} + {@code sha256sum} of the same
 * file, and the hub's peak heap (sampled with jstat every 50 ms, hub run with {@code -Xmx256m}).
 * Not part of the test suite (the name matches no surefire pattern); run it with
 *
 * <pre>
 * mvn -B -DskipTests install -pl .,protocol,hub &&
 *   mvn -B surefire:test -pl hub -Dtest=PublishBenchmark -DargLine=-Xmx2g
 * </pre>
 */
class PublishBenchmark {
  private static final int RUNS = 3;
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("benchmark-admin-token");

  @Test
  void publish() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "bench"));
    System.out.printf(
        "%-8s %-22s %-22s %-8s%n", "model", "cp+sha256sum (median)", "publish (median)", "ratio");
    for (int mib : new int[] {100, 1024}) {
      int side = (int) Math.sqrt(mib * 1024.0 * 1024 / 4);
      Path model = dir.resolve("matmul-" + mib + "m.onnx");
      if (!Files.exists(model)) {
        LargeModels.matMul(model, side, side);
      }
      double floor =
          median(
              () ->
                  timed(
                      "bash",
                      "-c",
                      "cp "
                          + model
                          + " "
                          + dir.resolve("copy")
                          + " && sha256sum "
                          + dir.resolve("copy")
                          + " > /dev/null"));
      AtomicLong peak = new AtomicLong();
      double publish = withHub(dir, peak, port -> median(() -> publishOnce(port, model)));
      System.out.printf(
          "%-8s %-22s %-22s %-8s peak heap %d MiB (-Xmx256m)%n",
          mib + " MiB",
          String.format("%.2f s", floor),
          String.format("%.2f s", publish),
          String.format("%.2f", publish / floor),
          peak.get() / 1024 / 1024);
    }
  }

  private interface Run {
    double seconds() throws Exception;
  }

  private interface HubWork {
    double run(int port) throws Exception;
  }

  private static double median(Run run) throws Exception {
    double[] times = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      times[i] = run.seconds();
    }
    Arrays.sort(times);
    return times[RUNS / 2];
  }

  private static int version = 0;

  private static double publishOnce(int port, Path model) throws Exception {
    long start = System.nanoTime();
    String out =
        run(
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-H",
            "Authorization: Bearer " + TOKEN,
            "-F",
            "model=@" + model,
            "-F",
            "version=1.0." + version++,
            "http://127.0.0.1:" + port + "/api/v1/models/bench-" + Files.size(model) + "/versions");
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!out.strip().equals("201")) {
      throw new AssertionError("publish answered " + out);
    }
    return seconds;
  }

  private static double withHub(Path dir, AtomicLong peak, HubWork work) throws Exception {
    int port = freePort();
    Path data = Files.createTempDirectory(dir, "hub-");
    Process hub =
        new ProcessBuilder(
                "java",
                "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dferry.hub.data-dir=" + data,
                "-Dferry.hub.bootstrap-token=" + TOKEN,
                "-Dferry.hub.mqtt.port=" + freePort(),
                "-jar",
                "target/quarkus-app/quarkus-run.jar")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("hub.log").toFile())
            .start();
    Process jstat = null;
    try {
      waitReady(port);
      jstat = new ProcessBuilder("jstat", "-gc", String.valueOf(hub.pid()), "50").start();
      Process sampler = jstat;
      Thread reader = new Thread(() -> sample(sampler, peak));
      reader.setDaemon(true);
      reader.start();
      return work.run(port);
    } finally {
      if (jstat != null) {
        jstat.destroy();
      }
      hub.destroy();
      hub.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void sample(Process jstat, AtomicLong peak) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> header = null;
      for (String line; (line = lines.readLine()) != null; ) {
        List<String> cells = List.of(line.trim().split("\\s+"));
        if (cells.contains("EU")) {
          header = cells;
        } else if (header != null && cells.size() == header.size()) {
          double used = 0;
          for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            used += Double.parseDouble(cells.get(header.indexOf(column)));
          }
          peak.accumulateAndGet((long) (used * 1024), Math::max);
        }
      }
    } catch (IOException ignored) {
      // jstat ended with the hub
    }
  }

  private static void waitReady(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("hub not ready on port " + port);
  }

  private static double timed(String... command) throws Exception {
    long start = System.nanoTime();
    run(command);
    return (System.nanoTime() - start) / 1e9;
  }

  private static String run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
