package dev.ferry.it.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.fleet.HubApi;
import dev.ferry.it.fleet.JarProcess;
import dev.ferry.it.fleet.Oip;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.testing.AdminTokens;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A hub jar on Mosquitto (mutual TLS) pushing to the Distribution registry of {@code services.sh}
 * under a prefix of its own, the {@code ferry} command against it, and agents enrolled with it:
 * what the capture test and benchmark share.
 */
public final class CaptureFleet implements AutoCloseable {
  private static final String TOKEN = AdminTokens.random("capture-admin");

  /** The registry, {@code 127.0.0.1:15000}. */
  public final String registry;

  /** The hub's repository prefix in it, unique to this run. */
  public final String prefix = "capture" + System.nanoTime();

  public final JarProcess hub;
  public final HubApi api;
  public final Cli ferry;
  private final Path dir;
  private final SecureMosquitto mosquitto;
  private final Path root;

  private CaptureFleet(Path dir) throws Exception {
    this.dir = dir;
    registry =
        "127.0.0.1:" + Services.start("registry").getOrDefault("FERRY_REGISTRY_PORT", "15000");
    mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    try {
      hub = JarProcess.start("hub", hubEnv(), dir.resolve("hub.log"));
    } catch (Exception | AssertionError e) {
      mosquitto.close();
      throw e;
    }
    api = new HubApi(hub, TOKEN);
    ferry = Cli.install(dir.resolve("cli"), hub.url(), TOKEN);
    root = Files.writeString(dir.resolve("root.json"), api.get("/api/v1/trust/root").body());
  }

  /** Starts the hub and installs the command. */
  public static CaptureFleet start(Path dir) throws Exception {
    return new CaptureFleet(dir);
  }

  private Map<String, String> hubEnv() {
    Map<String, String> env = new HashMap<>(mosquitto.hubEnv());
    env.put("FERRY_HUB_DATA_DIR", dir.resolve("hub").toString());
    env.put("FERRY_HUB_BOOTSTRAP_TOKEN", TOKEN);
    env.put("FERRY_HUB_MQTT_CLIENT_ID", "hub-" + prefix);
    env.put("FERRY_HUB_MQTT_SHARED_GROUP", "ferry-hub-" + prefix);
    env.put("FERRY_HUB_REGISTRY_URL", registry + "/" + prefix);
    env.put("FERRY_HUB_REGISTRY_PLAIN_HTTP", "true");
    return env;
  }

  /**
   * The environment of an agent enrolling with the hub as {@code device} (its data under the
   * fleet's folder), uploading captures every second.
   */
  public Map<String, String> agentEnv(String device) throws Exception {
    Enrollment enrollment = new Enrollment(hub.url(), TOKEN);
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", device);
    env.put("FERRY_AGENT_HUB_URL", hub.url());
    env.put(
        "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
        Enrollment.tokenFile(dir.resolve(device + ".token"), enrollment.token(device)).toString());
    env.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    env.put("FERRY_AGENT_DATA_DIR", dir.resolve(device).toString());
    env.put("FERRY_AGENT_MQTT_URL", mosquitto.deviceUrl());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", registry);
    env.put("FERRY_AGENT_CAPTURE_UPLOAD_INTERVAL", "1s");
    return env;
  }

  /** The admin token's way in, for enrolling devices the test speaks for itself. */
  public Enrollment enrollment() {
    return new Enrollment(hub.url(), TOKEN);
  }

  /** Rolls a version out to one device and waits until it serves it. */
  public void rollOut(String model, String version, String device, Oip oip, String request)
      throws Exception {
    api.rollout(model, version, "\"devices\":[\"" + device + "\"]");
    oip.awaitVersion(model, request, version);
  }

  /** A count of {@code ferry_capture_samples_total} on an agent; 0 before the first. */
  public static long captureCount(Oip agent, String outcome) throws Exception {
    String name = "ferry_capture_samples_total{outcome=\"" + outcome + "\"} ";
    List<String> lines = agent.get("/q/metrics").body().lines().toList();
    for (String line : lines) {
      if (line.startsWith(name)) {
        return (long) Double.parseDouble(line.substring(name.length()));
      }
    }
    return 0;
  }

  /** Waits up to a timeout until an agent counts this many samples uploaded. */
  public static void awaitUploaded(Oip agent, long count, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long uploaded = 0;
    while (System.nanoTime() < deadline) {
      uploaded = captureCount(agent, "uploaded");
      if (uploaded >= count) {
        assertEquals(count, uploaded, "uploaded more samples than were captured");
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the agent uploaded " + uploaded + " of " + count + " samples");
  }

  @Override
  public void close() {
    hub.close();
    try {
      mosquitto.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
