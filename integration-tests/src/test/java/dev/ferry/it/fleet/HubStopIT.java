package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub on its embedded defaults started, used and stopped the way systemd and Ctrl-C stop it
 * (SIGTERM). Its log says nothing an operator must act on but the warning that its root key is
 * online. Its background work (the rollout engine, the re-signer, capture packing) runs on the
 * database until the hub stops it, so the database must stay open until then: a stop logs no error,
 * and the next start opens the same data.
 */
class HubStopIT {
  private static final String TOKEN = dev.ferry.protocol.testing.AdminTokens.random("stop-it");

  @TempDir Path dir;

  @Test
  void startAndSigterm_logNoWarning_andTheNextStartFindsWhatWasPublished() throws Exception {
    Map<String, String> env =
        new TreeMap<>(HubApi.embedded(dir.resolve("hub"), TOKEN, JarProcess.freePort()));
    // the engine steps every 50 ms, so it runs while the embedded broker takes its second to stop
    env.put("FERRY_HUB_ROLLOUT_TICK", "PT0.05S");
    Path log = dir.resolve("hub.log");
    try (JarProcess hub = JarProcess.start("hub", env, log)) {
      new HubApi(hub, TOKEN).publish("stop-it", "1.0.0", 1, dir);
      hub.close(); // SIGTERM, as systemd and Ctrl-C send, and waits for its exit
    }
    List<String> warnings =
        Files.readAllLines(log).stream()
            .filter(line -> line.contains(" ERROR ") || line.contains(" WARN "))
            .filter(line -> !line.contains("the root key is online"))
            .map(line -> line.length() > 300 ? line.substring(0, 300) + "…" : line)
            .toList();
    assertEquals(List.of(), warnings, "the hub's start and stop logged these; its log: " + log);

    try (JarProcess again = JarProcess.start("hub", env, dir.resolve("hub-again.log"))) {
      var version = new HubApi(again, TOKEN).get("/api/v1/models/stop-it/versions/1.0.0");
      assertEquals(200, version.statusCode(), version.body());
    }
  }
}
