package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One agent process whose registry and broker connections run through proxies that can slow them,
 * cut them and take them down: kill -9 during a download and around a swap, the registry gone in
 * the middle of a download, the broker gone while serving and while the agent restarts. After each
 * the agent serves a verified version, never a partial one, and downloads continue from their
 * partial files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentResilienceIT {
  private static final String MODEL = "resilient";
  private static final int[] SMALL = {64, 64};
  private static final int[] LARGE = {1024, 1024};
  private static final long RATE = 1024 * 1024;

  /** Manifest, serving.json, golden.json and HTTP headers: what a resumed pull fetches besides. */
  private static final long SLACK = 256 * 1024;

  private Path dir;
  private final TestHub hub = new TestHub();
  private final String device = "edge-resilient-" + System.nanoTime();
  private final String repository = "resilience/" + device;
  private final Map<String, String> agentEnv = new HashMap<>();
  private RegistryClient client;
  private CuttingProxy registry;
  private CuttingProxy broker;
  private SecureMosquitto mosquitto;
  private Wire wire;
  private JarProcess agent;
  private long sequence;
  private long releaseSeq;
  private String serving;

  @BeforeAll
  void startAgentServingV1(@TempDir Path temp) throws Exception {
    dir = temp;
    Map<String, String> services = Services.start("registry");
    String registryAddress = services.get("FERRY_REGISTRY");
    mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    client = RegistryClient.builder(registryAddress).plainHttp(true).build();
    registry = new CuttingProxy(port(registryAddress), Long.MAX_VALUE, false);
    broker = new CuttingProxy(mosquitto.devicePort, Long.MAX_VALUE, false);
    wire = new Wire(mosquitto.hubUrl(), device, mosquitto.hubIdentity());
    mosquitto.provision(dir.resolve("agent"), device);
    agentEnv.put("FERRY_AGENT_DEVICE_ID", device);
    agentEnv.put(
        "FERRY_AGENT_TRUST_ROOT",
        Files.write(dir.resolve("root.json"), hub.signedRoot()).toString());
    agentEnv.put("FERRY_AGENT_DATA_DIR", dir.resolve("agent").toString());
    agentEnv.put("FERRY_AGENT_MQTT_URL", "ssl://" + broker.address());
    agentEnv.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", registry.address());
    agentEnv.put("FERRY_AGENT_REGISTRY_IDLE_TIMEOUT", "3s");
    agent = start("agent.log");
    roll("1.0.0", SMALL);
    awaitServing("1.0.0", SMALL);
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    wire.close();
    client.close();
    registry.close();
    broker.close();
    mosquitto.close();
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private JarProcess start(String log) throws Exception {
    return JarProcess.start("agent", agentEnv, dir.resolve(log));
  }

  /** Publishes a release and a desired state assigning it, as the hub does; returns it. */
  private TestHub.Release roll(String version, int[] shape) throws Exception {
    TestHub.Release release =
        hub.publish(
            client,
            registry.address(),
            repository,
            MODEL,
            version,
            ++releaseSeq,
            shape,
            releaseSeq,
            TestHub.Flaw.NONE,
            dir);
    wire.publish(hub.desired(device, ++sequence, hub.assign(release)));
    return release;
  }

  private void awaitServing(String version, int[] shape) throws Exception {
    new Oip(agent).awaitVersion(MODEL, Oip.request(shape[0]), version);
    serving = version;
  }

  /** The partial download of a blob in the agent's cache. */
  private Path partial(TestHub.Release release) {
    return dir.resolve("agent/incoming/" + release.modelLayer().digest().hex() + ".part");
  }

  private static void awaitSize(Path file, long atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.size(file) >= atLeast) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " never reached " + atLeast + " bytes");
  }

  @Test
  @Order(1)
  void killDuringDownload_servesTheVerifiedVersionAndResumesFromThePartialFile() throws Exception {
    registry.throttle(RATE);
    long before = registry.forwarded();
    TestHub.Release v2 = roll("2.0.0", LARGE);
    long size = v2.modelLayer().size();
    awaitSize(partial(v2), size / 3);
    agent.kill();
    long kept = Files.size(partial(v2));
    assertTrue(kept >= size / 3 && kept < size, "partial file of " + kept + " bytes");

    agent = start("agent-after-kill.log");
    assertEquals(serving, new Oip(agent).served(MODEL, Oip.request(SMALL[0])));
    registry.throttle(0);
    awaitServing("2.0.0", LARGE);
    long fetched = registry.forwarded() - before;
    // from scratch, the kept bytes would come twice
    assertTrue(fetched <= size + SLACK, "fetched " + fetched + " for " + size + ", kept " + kept);
    System.out.printf(
        "kill -9 mid-download: %d of %d kept, %d fetched in all%n", kept, size, fetched);
  }

  @Test
  @Order(2)
  void killAroundTheSwap_leavesAVerifiedVersionServing() throws Exception {
    List<EventType> points =
        List.of(EventType.DESIRED_ACCEPTED, EventType.VERIFIED, EventType.VALIDATED);
    int next = 3;
    for (EventType point : points) {
      String version = next++ + ".0.0";
      int mark = wire.mark();
      roll(version, LARGE);
      wire.await(mark, e -> e.type() == point, point.name());
      agent.kill();
      agent = start("agent-killed-at-" + point + ".log");
      String answered = new Oip(agent).served(MODEL, Oip.request(LARGE[0]));
      assertTrue(
          Set.of(serving, version).contains(answered),
          "served " + answered + " after a kill at " + point);
      awaitServing(version, LARGE);
    }
  }

  @Test
  @Order(3)
  void registryGoneMidDownload_isRetriedAndTheDownloadResumes() throws Exception {
    registry.throttle(RATE);
    long before = registry.forwarded();
    int mark = wire.mark();
    TestHub.Release next = roll("6.0.0", LARGE);
    long size = next.modelLayer().size();
    awaitSize(partial(next), size / 3);
    registry.down(true);
    DeviceEvent failed =
        wire.await(
            mark,
            e -> e.type() == EventType.FAILED && e.reason().endsWith("; retrying"),
            "a FAILED event to be retried");
    assertTrue(failed.reason().startsWith("UNAVAILABLE"), failed.reason());
    assertEquals(serving, new Oip(agent).served(MODEL, Oip.request(LARGE[0])));
    registry.throttle(0);
    registry.down(false);
    awaitServing("6.0.0", LARGE);
    long fetched = registry.forwarded() - before;
    assertTrue(fetched <= size + SLACK, "fetched " + fetched + " bytes for " + size);
    System.out.printf("registry gone mid-download: %d fetched in all for %d%n", fetched, size);
  }

  @Test
  @Order(4)
  void brokerAndRegistryGone_aRestartedAgentServesItsCacheAndAppliesTheStateOnceBack()
      throws Exception {
    broker.down(true);
    registry.down(true);
    Oip oip = new Oip(agent);
    for (int i = 0; i < 20; i++) {
      assertEquals(serving, oip.served(MODEL, Oip.request(LARGE[0])));
      Thread.sleep(100);
    }
    agent.kill();
    roll("7.0.0", SMALL);
    agent = start("agent-offline.log");
    assertEquals(serving, new Oip(agent).served(MODEL, Oip.request(LARGE[0])));
    assertEquals(200, new Oip(agent).get("/q/health/ready").statusCode());

    int mark = wire.mark();
    broker.down(false);
    registry.down(false);
    awaitServing("7.0.0", SMALL);
    wire.await(mark, e -> e.type() == EventType.ACTIVATED, "ACTIVATED after reconnecting");
  }
}
