package dev.ferry.it.bench;

import dev.ferry.it.fleet.JarProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * gRPC inference from a client off the device: one caller sends a model's input as raw contents
 * through a {@link LatencyProxy}, to the agent as it ships and to the agent with HTTP/2's default
 * flow-control window (64 KiB, what the agent advertised before), which a large tensor must wait
 * for a window update every 32 KiB of.
 */
final class GrpcLinkBench {
  private GrpcLinkBench() {}

  /**
   * One latency and window: the caller's median and extremes.
   *
   * @param window the agent's stream window, or "shipped"
   * @param delayMillis the link's one-way delay
   */
  record Point(String window, int delayMillis, double p50, double min, double max) {}

  static List<Point> run(Path dir, BenchModel model, int[] delays, int calls) throws Exception {
    List<Point> points = new ArrayList<>();
    try (AgentRig rig = new AgentRig(dir)) {
      var release = rig.publish(model, "1.0.0");
      rig.startFresh();
      rig.assign(release);
      rig.oip().awaitVersion(model.name(), model.request(), "1.0.0");
      for (String window : List.of("65535", "shipped")) {
        JarProcess agent =
            rig.restart(
                window.equals("shipped")
                    ? Map.of()
                    : Map.of(
                        "QUARKUS_HTTP_INITIAL_WINDOW_SIZE",
                        window,
                        "QUARKUS_HTTP_HTTP2_CONNECTION_WINDOW_SIZE",
                        "-1"),
                List.of());
        rig.oip().awaitVersion(model.name(), model.request(), "1.0.0");
        for (int delay : delays) {
          try (LatencyProxy link = new LatencyProxy(agent.port(), delay);
              GrpcBenchClient client = GrpcBenchClient.raw(link.port(), model)) {
            for (int i = 0; i < calls; i++) {
              client.call(); // warm-up
            }
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
              long started = System.nanoTime();
              if (!client.call()) {
                throw new AssertionError("no raw outputs through a link of " + delay + " ms");
              }
              millis.add((System.nanoTime() - started) / 1e6);
            }
            Collections.sort(millis);
            points.add(
                new Point(
                    window,
                    delay,
                    millis.get(millis.size() / 2),
                    millis.get(0),
                    millis.get(millis.size() - 1)));
          }
        }
      }
    }
    return points;
  }
}
