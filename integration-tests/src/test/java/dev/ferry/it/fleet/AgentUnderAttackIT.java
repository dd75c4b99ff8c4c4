package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * One agent process on real Mosquitto and a real Distribution registry, the test in the hub's
 * place: every attack on the desired state, the release statement, the artifact and the cache is
 * refused with its reason in the events (and, for installs, the reported state) while the serving
 * version keeps answering; malformed infer requests get a 4xx and the agent stays up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentUnderAttackIT {
  private static final String MODEL = "guarded";
  private static final int[] SHAPE = {64, 64};
  private static final String INFER = Oip.request(SHAPE[0]);

  private Path dir;
  private final TestHub hub = new TestHub();
  private final long salt = System.nanoTime();
  private final String device = "edge-attacked-" + salt;
  private final String repository = "attacks/" + device;
  private final Map<String, String> agentEnv = new HashMap<>();
  private String registry;
  private RegistryClient client;
  private CuttingProxy registryProxy;
  private CuttingProxy stallingProxy;
  private SecureMosquitto mosquitto;
  private Wire wire;
  private JarProcess agent;
  private Oip oip;
  private long sequence;
  private byte[] firstDesired;
  private TestHub.Release v1;

  @BeforeAll
  void startAgentServingV1(@TempDir Path temp) throws Exception {
    dir = temp;
    Map<String, String> services = Services.start("registry");
    mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    registry = services.get("FERRY_REGISTRY");
    int registryPort = Integer.parseInt(registry.substring(registry.indexOf(':') + 1));
    client = RegistryClient.builder(registry).plainHttp(true).build();
    registryProxy = new CuttingProxy(registryPort, Long.MAX_VALUE, false);
    stallingProxy = new CuttingProxy(registryPort, 4096, true);
    wire = new Wire(mosquitto.hubUrl(), device, mosquitto.hubIdentity());
    mosquitto.provision(dir.resolve("agent"), device);
    Path root = Files.write(dir.resolve("root.json"), hub.signedRoot());
    agentEnv.put("FERRY_AGENT_DEVICE_ID", device);
    agentEnv.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    agentEnv.put("FERRY_AGENT_DATA_DIR", dir.resolve("agent").toString());
    agentEnv.put("FERRY_AGENT_MQTT_URL", mosquitto.deviceUrl());
    agentEnv.put(
        "FERRY_AGENT_REGISTRY_PLAIN_HTTP",
        String.join(",", registry, registryProxy.address(), stallingProxy.address()));
    agentEnv.put("FERRY_AGENT_REGISTRY_IDLE_TIMEOUT", "2s");
    agent = JarProcess.start("agent", agentEnv, dir.resolve("agent.log"));
    oip = new Oip(agent);

    v1 = release("1.0.0", 10, TestHub.Flaw.NONE);
    firstDesired = hub.desired(device, ++sequence, hub.assign(v1));
    wire.publish(firstDesired);
    oip.awaitVersion(MODEL, INFER, "1.0.0");
    // the hub re-signs before expiry: a newer state with the same assignment
    int mark = wire.mark();
    wire.publish(hub.desired(device, ++sequence, hub.assign(v1)));
    wire.await(mark, e -> e.type() == EventType.DESIRED_ACCEPTED, "DESIRED_ACCEPTED");
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    wire.close();
    client.close();
    registryProxy.close();
    stallingProxy.close();
    mosquitto.close();
  }

  private TestHub.Release release(String version, long releaseSeq, TestHub.Flaw flaw)
      throws Exception {
    return release(version, releaseSeq, flaw, registry);
  }

  private TestHub.Release release(
      String version, long releaseSeq, TestHub.Flaw flaw, String pullFrom) throws Exception {
    // weights unique to this run: the registry outlives it, and a blob corrupted twice is whole
    return hub.publish(
        client,
        pullFrom,
        repository,
        MODEL,
        version,
        releaseSeq,
        SHAPE,
        salt + releaseSeq,
        flaw,
        dir);
  }

  /** Sends a desired state; the agent must refuse it with this reason and keep serving 1.0.0. */
  private DeviceEvent refused(byte[] desired, EventType type, String reason) throws Exception {
    int mark = wire.mark();
    wire.inject(desired);
    DeviceEvent event = wire.await(mark, e -> e.type() == type, type.name());
    assertTrue(event.reason().startsWith(reason), event.reason());
    assertEquals("1.0.0", oip.served(MODEL, INFER));
    return event;
  }

  /** A genuinely signed state whose install must fail: the reason also reaches reported. */
  private DeviceEvent failsToInstall(TestHub.Release release, String reason) throws Exception {
    DeviceEvent event =
        refused(hub.desired(device, ++sequence, hub.assign(release)), EventType.FAILED, reason);
    assertEquals(release.version(), event.version());
    awaitReported(event.reason());
    return event;
  }

  private void awaitReported(String reason) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      ReportedState reported = wire.reported();
      if (reported != null
          && reported.models().stream()
              .anyMatch(m -> reason.equals(m.reason()) && m.status() == ModelStatus.FAILED)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("reported state never named: " + reason + "; " + wire.reported());
  }

  @Test
  @Order(1)
  void malformedInferRequests_get4xxAndTheAgentStaysUp() throws Exception {
    List<String> answers = new ArrayList<>();
    Map<String, Integer> cases = new java.util.LinkedHashMap<>();
    cases.put("{\"inputs\":[", 400);
    cases.put(INFER.replace("[1,64]", "[1,3]"), 400);
    cases.put(INFER.replace("FP32", "INT64"), 400);
    cases.put(INFER.replace("\"name\":\"x\"", "\"name\":\"nope\""), 400);
    cases.put("{\"inputs\":[]}", 400);
    cases.put("[]", 400);
    for (var entry : cases.entrySet()) {
      HttpResponse<String> response = oip.infer(MODEL, entry.getKey());
      answers.add(response.statusCode() + " " + response.body());
      assertEquals(entry.getValue(), response.statusCode(), response.body());
      JsonNode error = Oip.JSON.readTree(response.body()).get("error");
      assertTrue(error != null && !error.asText().isBlank(), response.body());
    }
    assertEquals(404, oip.infer("no-such-model", INFER).statusCode());
    String huge = "{\"inputs\":[{\"name\":\"x\",\"data\":[" + "1,".repeat(9_000_000) + "1]}]}";
    assertEquals(413, oip.infer(MODEL, huge).statusCode());
    assertTrue(agent.alive());
    assertEquals("1.0.0", oip.served(MODEL, INFER), String.join("\n", answers));
  }

  @Test
  @Order(2)
  void desiredStateWithATamperedPayload_isRefused() throws Exception {
    Envelope genuine =
        TestHub.CODEC.decode(hub.desired(device, sequence + 1, hub.assign(v1)), Envelope.class);
    byte[] other =
        TestHub.CODEC.encode(
            new DesiredState(
                device,
                sequence + 1,
                Instant.now(),
                Instant.now().plus(Duration.ofDays(365)),
                List.of(hub.assign(v1))));
    Envelope tampered =
        new Envelope(
            genuine.payloadType(), Base64.getEncoder().encodeToString(other), genuine.signatures());
    refused(TestHub.CODEC.encode(tampered), EventType.DESIRED_REJECTED, "UNTRUSTED_SIGNATURE");
  }

  @Test
  @Order(3)
  void desiredStateSignedByAnUnknownKey_isRefused() throws Exception {
    Signer stranger = new Signer(Ed25519.generate());
    byte[] payload =
        TestHub.CODEC
            .decode(hub.desired(device, sequence + 1, hub.assign(v1)), Envelope.class)
            .payloadBytes();
    refused(
        TestHub.CODEC.encode(stranger.sign(PayloadTypes.DESIRED, payload)),
        EventType.DESIRED_REJECTED,
        "UNTRUSTED_SIGNATURE");
  }

  @Test
  @Order(4)
  void releaseStatementSignedWithTheHubKey_isRefused() throws Exception {
    TestHub.Release next = release("1.1.0", 11, TestHub.Flaw.NONE);
    refused(
        hub.desired(device, sequence + 1, hub.assign(next, next.statement(), hub.hub)),
        EventType.DESIRED_REJECTED,
        "UNTRUSTED_RELEASE");
  }

  @Test
  @Order(5)
  void replayedOlderDesiredState_isRefused() throws Exception {
    refused(firstDesired, EventType.DESIRED_REJECTED, "REPLAYED_SEQUENCE");
  }

  @Test
  @Order(6)
  void lowerReleaseSeq_isRefused() throws Exception {
    TestHub.Release older = release("0.9.0", 9, TestHub.Flaw.NONE);
    refused(
        hub.desired(device, sequence + 1, hub.assign(older)),
        EventType.DESIRED_REJECTED,
        "RELEASE_ROLLBACK");
  }

  @Test
  @Order(7)
  void expiredDesiredState_isRefused() throws Exception {
    Instant now = Instant.now();
    refused(
        hub.desired(
            new DesiredState(
                device,
                sequence + 1,
                now.minus(Duration.ofHours(2)),
                now.minus(Duration.ofHours(1)),
                List.of(hub.assign(v1)))),
        EventType.DESIRED_REJECTED,
        "EXPIRED");
  }

  @Test
  @Order(8)
  void statementForAnotherModel_isRefused() throws Exception {
    TestHub.Release next = release("1.2.0", 12, TestHub.Flaw.NONE);
    ReleasePredicate facts = next.statement().predicate();
    ReleaseStatement aboutOther =
        ReleaseStatement.of(
            next.reference(),
            next.manifestDigest(),
            ReleasePredicate.lasting(
                "other-model",
                facts.version(),
                facts.releaseSeq(),
                facts.createdAt(),
                facts.servingDigest(),
                facts.goldenDigest()));
    refused(
        hub.desired(device, sequence + 1, hub.assign(next, aboutOther, hub.release)),
        EventType.DESIRED_REJECTED,
        "WRONG_MODEL");
  }

  @Test
  @Order(9)
  void manifestWhoseBytesDoNotMatchItsDigest_isRefused() throws Exception {
    TestHub.Release next = release("1.3.0", 13, TestHub.Flaw.NONE);
    corrupt(next.manifestDigest());
    failsToInstall(next, "MANIFEST_MISMATCH");
  }

  @Test
  @Order(10)
  void blobWhoseBytesDoNotMatchItsDigest_isRefused() throws Exception {
    TestHub.Release next = release("1.4.0", 14, TestHub.Flaw.NONE);
    corrupt(next.modelLayer().digest());
    failsToInstall(next, "BLOB_MISMATCH");
  }

  @Test
  @Order(11)
  void blobLongerThanDeclared_isRefused() throws Exception {
    TestHub.Release honest = release("1.5.0", 15, TestHub.Flaw.NONE);
    Descriptor model = honest.modelLayer();
    List<Descriptor> layers = new ArrayList<>(honest.manifest().layers());
    layers.set(
        layers.indexOf(model),
        Descriptor.of(model.mediaType(), model.digest(), model.size() / 2)
            .withAnnotation(dev.ferry.protocol.oci.Annotations.MODEL_FILEPATH, "model.onnx"));
    Manifest understated =
        Manifest.of(
            honest.manifest().artifactType(), honest.manifest().config(), layers, null, Map.of());
    TestHub.Release lying =
        hub.put(client, registry, repository, MODEL, "1.5.1", 16, understated, honest.linear());
    failsToInstall(lying, "BLOB_TOO_LARGE");
  }

  @Test
  @Order(12)
  void modelThatDoesNotLoad_isRefused() throws Exception {
    DeviceEvent event =
        failsToInstall(release("1.6.0", 17, TestHub.Flaw.MODEL_DOES_NOT_LOAD), "model ");
    assertTrue(event.reason().contains("does not load on CPU"), event.reason());
  }

  @Test
  @Order(13)
  void goldenVectorMismatch_isRefused() throws Exception {
    failsToInstall(release("1.7.0", 18, TestHub.Flaw.GOLDEN_MISMATCH), "golden case 0 output 'y'");
  }

  @Test
  @Order(14)
  void stalledTransfer_isCutAndRetriedWhileTheOldVersionServesThenResumed() throws Exception {
    TestHub.Release next = release("1.8.0", 19, TestHub.Flaw.NONE, stallingProxy.address());
    DeviceEvent event =
        refused(hub.desired(device, ++sequence, hub.assign(next)), EventType.FAILED, "STALLED");
    assertTrue(event.reason().endsWith("; retrying"), event.reason());
    // each retry resumes where the last stalled, 4 KiB further: the release gets there in the end
    oip.awaitVersion(MODEL, INFER, "1.8.0");
  }

  @Test
  @Order(15)
  void alteredCachedModel_isNotServedAndIsFetchedAgainOnceTheRegistryIsBack() throws Exception {
    String before = oip.served(MODEL, INFER);
    TestHub.Release v2 = release("2.0.0", 20, TestHub.Flaw.NONE, registryProxy.address());
    int installed = wire.mark();
    wire.publish(hub.desired(device, ++sequence, hub.assign(v2)));
    oip.awaitVersion(MODEL, INFER, "2.0.0");
    // serving comes a moment before state.json records the install; ACTIVATED comes after it
    wire.await(
        installed,
        e -> e.type() == EventType.ACTIVATED && "2.0.0".equals(e.version()),
        "ACTIVATED 2.0.0");

    agent.kill();
    Digest model = v2.modelLayer().digest();
    Path cached = dir.resolve("agent/blobs/sha256/" + model.hex());
    byte[] altered = Files.readAllBytes(cached);
    altered[altered.length / 2] ^= 0x20;
    Files.write(cached, altered);
    registryProxy.down(true);
    int mark = wire.mark();
    agent = JarProcess.start("agent", agentEnv, dir.resolve("agent-restarted.log"));
    oip = new Oip(agent);
    oip.awaitVersion(MODEL, INFER, before);
    DeviceEvent event =
        wire.await(
            mark,
            e ->
                e.type() == EventType.FAILED
                    && "2.0.0".equals(e.version())
                    && e.reason().startsWith("cache: "),
            "FAILED for the altered 2.0.0");
    assertTrue(event.reason().startsWith("cache: "), event.reason());
    assertEquals(before, oip.served(MODEL, INFER));

    registryProxy.down(false);
    oip.awaitVersion(MODEL, INFER, "2.0.0");
    assertEquals(model, Digest.of(cached));
  }

  private static void corrupt(Digest digest) throws Exception {
    Path stored = Services.registryBlob(digest);
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length / 2] ^= 0x20;
    Files.write(stored, bytes);
  }
}
