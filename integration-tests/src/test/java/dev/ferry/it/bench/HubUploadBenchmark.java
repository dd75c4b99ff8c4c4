package dev.ferry.it.bench;

import dev.ferry.it.fleet.JarProcess;
import dev.ferry.protocol.testing.AdminTokens;
import dev.ferry.protocol.testing.OnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing a model to a hub over a link with latency ({@link LatencyProxy}, 25 ms each way): curl
 * over HTTP/1.1, and over HTTP/2 with prior knowledge, which is what a client that reaches a hub
 * over TLS negotiates (ALPN); to the hub as it ships and to one with HTTP/2's default window (64
 * KiB, what it advertised before). Not run in CI; prints one line per case:
 *
 * <pre>
 * mvn -B verify -Pbench -pl integration-tests -Dit.test=HubUploadBenchmark
 * </pre>
 */
class HubUploadBenchmark {
  private static final int DELAY_MILLIS = 25;

  @TempDir Path dir;

  @Test
  void publishOverALink() throws Exception {
    Path model = dir.resolve("linear.onnx");
    OnnxModels.matMulAdd(model, "x", 1, 1000, 2000, 3);
    String token = AdminTokens.random("upload-bench");
    int version = 0;
    for (String window : List.of("65535", "shipped")) {
      Map<String, String> env = new HashMap<>();
      env.put("FERRY_HUB_DATA_DIR", dir.resolve("hub-" + window).toString());
      env.put("FERRY_HUB_BOOTSTRAP_TOKEN", token);
      env.put("FERRY_HUB_MQTT_HOST", "127.0.0.1");
      env.put("FERRY_HUB_MQTT_PORT", String.valueOf(JarProcess.freePort()));
      if (!window.equals("shipped")) {
        env.put("QUARKUS_HTTP_INITIAL_WINDOW_SIZE", window);
        env.put("QUARKUS_HTTP_HTTP2_CONNECTION_WINDOW_SIZE", "-1");
      }
      try (JarProcess hub = JarProcess.start("hub", env, dir.resolve("hub-" + window + ".log"));
          LatencyProxy link = new LatencyProxy(hub.port(), DELAY_MILLIS)) {
        for (String http : List.of("--http1.1", "--http2-prior-knowledge")) {
          long started = System.nanoTime();
          String answer =
              curl(
                  http,
                  "-H",
                  "Authorization: Bearer " + token,
                  "-F",
                  "model=@" + model,
                  "-F",
                  "version=1.0." + version++,
                  "http://127.0.0.1:" + link.port() + "/api/v1/models/upload-bench/versions");
          System.out.printf(
              "%,d-byte model published over a link of %d ms each way, curl %s, the hub's HTTP/2"
                  + " window %s: %s in %d ms%n",
              Files.size(model),
              DELAY_MILLIS,
              http,
              window.equals("shipped") ? "as shipped (4 MiB)" : "64 KiB (HTTP/2's default)",
              answer,
              (System.nanoTime() - started) / 1_000_000);
        }
      }
    }
  }

  /** The status and HTTP version curl reports. */
  private static String curl(String... arguments) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} HTTP/%{http_version}"));
    command.addAll(List.of(arguments));
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String answer = new String(curl.getInputStream().readAllBytes()).strip();
    curl.waitFor();
    if (!answer.startsWith("201 ")) {
      throw new AssertionError("the publish answered " + answer);
    }
    return answer;
  }
}
