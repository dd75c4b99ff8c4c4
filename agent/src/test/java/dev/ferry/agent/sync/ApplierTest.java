package dev.ferry.agent.sync;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.Backoff;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.Rollback;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.trust.DesiredStateVerifier;
import dev.ferry.agent.trust.Keys;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.OnnxModels;
import dev.ferry.protocol.testing.Services;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Desired states applied end to end in one agent: signed states, artifacts from the real
 * Distribution registry, versions served over the Open Inference Protocol.
 */
@QuarkusTest
class ApplierTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Models models;

  private final Keys keys = new Keys();
  private final List<DeviceEvent> events = new ArrayList<>();
  private final List<ReportedState> reports = new ArrayList<>();
  private final String device = "edge-" + System.nanoTime();
  private final String model = "m" + Long.toHexString(System.nanoTime());
  private String registry;
  private String pullFrom;
  private RegistryClient client;
  private final Map<String, RegistryClient> clients =
      new java.util.concurrent.ConcurrentHashMap<>();
  private ExecutorService executor;
  private Path dir;
  private Applier applier;

  @BeforeEach
  void setUp() throws Exception {
    registry = Services.start("registry").get("FERRY_REGISTRY");
    pullFrom = registry;
    client = RegistryClient.builder(registry).plainHttp(true).build();
    executor = Executors.newFixedThreadPool(2);
    dir = Files.createTempDirectory("agent");
    applier = newApplier();
    applier.restore();
  }

  private Applier newApplier() {
    ContentStore store = new ContentStore(dir);
    Reporter reporter =
        new Reporter() {
          @Override
          public void event(DeviceEvent event) {
            events.add(event);
          }

          @Override
          public void reported(ReportedState state) {
            reports.add(state);
          }
        };
    return new Applier(
        new Applier.Parts(
            device,
            "0.1.0",
            Map.of(),
            List.of("CPU"),
            new DesiredStateVerifier(() -> keys.trustRoot, new JsonCodec()),
            new ArtifactFetcher(
                store,
                host ->
                    clients.computeIfAbsent(
                        host, h -> RegistryClient.builder(h).plainHttp(true).build()),
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(10), 2),
                executor),
            store,
            new StateFile(dir),
            models,
            reporter,
            Clock.systemUTC()));
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
    client.close();
    clients.values().forEach(RegistryClient::close);
  }

  /** Publishes a release to the registry the way the hub lays it out; returns its assignment. */
  private ModelAssignment release(String version, long releaseSeq, long seed, boolean breakGolden)
      throws Exception {
    String repository = "agent-apply/" + model;
    Path file = dir.resolve("src-" + version + ".onnx");
    OnnxModels.Linear linear = OnnxModels.matMulAdd(file, "x", 1, 4, 2, seed);
    double[] x = {1, 2, 3, 4};
    double[] y = linear.apply(x);
    if (breakGolden) {
      y[0] += 10;
    }
    GoldenVectors golden =
        new GoldenVectors(
            List.of(
                new GoldenCase(
                    List.of(
                        new Tensor(
                            "x",
                            Datatype.FP32,
                            List.of(1L, 4L),
                            Arrays.stream(x).boxed().map(Object.class::cast).toList())),
                    List.of(
                        new Tensor(
                            "y",
                            Datatype.FP32,
                            List.of(1L, 2L),
                            Arrays.stream(y).boxed().map(Object.class::cast).toList())))),
            Map.of());
    ServingSpec serving =
        new ServingSpec(
            model,
            version,
            ServingSpec.ONNX_PLATFORM,
            17,
            List.of(new TensorSpec("x", Datatype.FP32, List.of(1L, 4L))),
            List.of(new TensorSpec("y", Datatype.FP32, List.of(1L, 2L))),
            List.of(),
            Map.of());
    byte[] modelBytes = Files.readAllBytes(file);
    byte[] servingBytes = CODEC.encode(serving);
    byte[] goldenBytes = CODEC.encode(golden);
    byte[] config = "{}".getBytes();
    Descriptor servingLayer =
        layer(repository, MediaTypes.MODEL_WEIGHT_CONFIG_RAW, servingBytes, "serving.json");
    Descriptor goldenLayer =
        layer(repository, MediaTypes.MODEL_DATASET_RAW, goldenBytes, "golden.json");
    Manifest manifest =
        Manifest.of(
            MediaTypes.MODEL_ARTIFACT,
            Descriptor.of(
                MediaTypes.MODEL_CONFIG, client.pushBlob(repository, config), config.length),
            List.of(
                layer(repository, MediaTypes.MODEL_WEIGHT_RAW, modelBytes, "model.onnx"),
                servingLayer,
                goldenLayer),
            null,
            Map.of());
    Digest digest =
        client.putManifest(repository, version, MediaTypes.OCI_MANIFEST, CODEC.encode(manifest));
    String reference = pullFrom + "/" + repository;
    ReleaseStatement statement =
        ReleaseStatement.of(
            reference,
            digest,
            new ReleasePredicate(
                model,
                version,
                releaseSeq,
                Instant.now(),
                servingLayer.digest(),
                goldenLayer.digest()));
    return new ModelAssignment(
        model, reference, digest, keys.release.sign(PayloadTypes.IN_TOTO, CODEC.encode(statement)));
  }

  private Descriptor layer(String repository, String mediaType, byte[] bytes, String path)
      throws Exception {
    return Descriptor.of(mediaType, client.pushBlob(repository, bytes), bytes.length)
        .withAnnotation(Annotations.MODEL_FILEPATH, path);
  }

  private byte[] desired(long sequence, ModelAssignment... assignments) {
    Instant now = Instant.now();
    return keys.signedByHub(
        new DesiredState(
            device, sequence, now.minusSeconds(5), now.plusSeconds(3600), List.of(assignments)));
  }

  private void servesVersion(String version) {
    given()
        .contentType("application/json")
        .body(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")
        .post("/v2/models/" + model + "/infer")
        .then()
        .statusCode(200)
        .body("model_version", equalTo(version));
  }

  private List<EventType> eventTypes() {
    return events.stream()
        .map(DeviceEvent::type)
        .filter(type -> type != EventType.DOWNLOAD_PROGRESS)
        .toList();
  }

  private DeviceEvent lastEvent() {
    return events.get(events.size() - 1);
  }

  private ReportedState lastReport() {
    return reports.get(reports.size() - 1);
  }

  @Test
  void desiredStates_installThenSwapAndSurviveARestart() throws Exception {
    applier.apply(desired(1, release("1.0.0", 1, 1, false)));
    servesVersion("1.0.0");
    assertEquals(
        List.of(
            EventType.DESIRED_ACCEPTED,
            EventType.VERIFIED,
            EventType.VALIDATED,
            EventType.ACTIVATED),
        eventTypes());
    DeviceEvent progress =
        events.stream()
            .filter(e -> e.type() == EventType.DOWNLOAD_PROGRESS)
            .reduce((a, b) -> b)
            .get();
    assertEquals(progress.bytesTotal(), progress.bytesDone());
    assertTrue(progress.bytesTotal() > 0);
    ReportedState reported = reports.get(reports.size() - 1);
    assertEquals(1, reported.desiredSequence());
    assertEquals(ModelStatus.ACTIVE, reported.models().get(0).status());

    applier.apply(desired(2, release("2.0.0", 2, 2, false)));
    servesVersion("2.0.0");
    assertEquals("1.0.0", reports.get(reports.size() - 1).models().get(0).fallback().version());

    Applier restarted = newApplier();
    restarted.restore();
    servesVersion("2.0.0");
    assertEquals(2, restarted.state().orElseThrow().accepted().sequence());
  }

  @Test
  void attacksAndBadVersions_areRefusedAndTheOldVersionKeepsServing() throws Exception {
    ModelAssignment v1 = release("1.0.0", 2, 1, false);
    applier.apply(desired(5, v1));
    servesVersion("1.0.0");

    applier.apply(desired(4, release("1.1.0", 2, 3, false)));
    assertTrue(
        events.get(events.size() - 1).reason().startsWith("REPLAYED_SEQUENCE"),
        events.get(events.size() - 1).reason());

    applier.apply(desired(6, release("0.9.0", 1, 4, false)));
    assertTrue(
        events.get(events.size() - 1).reason().startsWith("RELEASE_ROLLBACK"),
        events.get(events.size() - 1).reason());
    applier.apply(desired(7, release("0.9.1", 2, 6, false)));
    assertTrue(
        events
            .get(events.size() - 1)
            .reason()
            .startsWith("RELEASE_ROLLBACK: releaseSeq 2 of another artifact"),
        events.get(events.size() - 1).reason());
    servesVersion("1.0.0");

    applier.apply(desired(8, release("1.2.0", 3, 5, true)));
    DeviceEvent failed = events.get(events.size() - 1);
    assertEquals(EventType.FAILED, failed.type());
    assertTrue(failed.reason().contains("golden"), failed.reason());
    servesVersion("1.0.0");
    assertEquals(ModelStatus.FAILED, reports.get(reports.size() - 1).models().get(0).status());

    int before = events.size();
    byte[] duplicate = desired(9, v1);
    applier.apply(duplicate);
    applier.apply(duplicate);
    assertEquals(before + 1, events.size(), "a duplicate delivery is ignored quietly");
  }

  @Test
  void unreachableRegistry_isRetriedAndTheInstallResumesAfterARestart() throws Exception {
    int port = Integer.parseInt(registry.substring(registry.lastIndexOf(':') + 1));
    try (CuttingProxy proxy = new CuttingProxy(port, Long.MAX_VALUE, false)) {
      pullFrom = proxy.address();
      ModelAssignment v1 = release("1.0.0", 1, 1, false);
      proxy.down(true);
      assertTrue(applier.assignedModelsServe(), "ready while nothing is assigned");
      assertTrue(applier.apply(desired(1, v1)), "the install waits for a retry");
      assertFalse(applier.assignedModelsServe(), "not ready while the assigned model is missing");
      assertEquals(EventType.FAILED, lastEvent().type());
      assertTrue(lastEvent().reason().startsWith("UNAVAILABLE"), lastEvent().reason());
      assertTrue(lastEvent().reason().endsWith("; retrying"), lastEvent().reason());
      assertEquals(ModelStatus.PENDING, lastReport().models().get(0).status());
      assertTrue(applier.reconcile(), "still unreachable");

      proxy.down(false);
      Applier restarted = newApplier();
      restarted.restore();
      assertFalse(restarted.reconcile(), "the accepted assignment resumed after the restart");
      assertTrue(restarted.assignedModelsServe());
      servesVersion("1.0.0");
      assertEquals(ModelStatus.ACTIVE, lastReport().models().get(0).status());
    }
  }

  @Test
  void alteredCacheFile_isNotServedAndIsFetchedAgain() throws Exception {
    applier.apply(desired(1, release("1.0.0", 1, 1, false)));
    applier.apply(desired(2, release("2.0.0", 2, 2, false)));
    Digest model2 =
        applier.state().orElseThrow().models().get(model).active().files().get("model.onnx");
    Files.writeString(dir.resolve("blobs/sha256/" + model2.hex()), "not the signed model");

    Applier restarted = newApplier();
    restarted.restore();
    servesVersion("1.0.0");
    assertEquals(EventType.FAILED, lastEvent().type());
    assertTrue(lastEvent().reason().startsWith("cache: "), lastEvent().reason());
    assertEquals("2.0.0", lastEvent().version());

    assertFalse(restarted.reconcile());
    servesVersion("2.0.0");
    assertEquals(Digest.of(dir.resolve("blobs/sha256/" + model2.hex())), model2);
  }

  @Test
  void probationRollback_isKeptAcrossRestartsAndNotReinstalled() throws Exception {
    applier.apply(desired(1, release("1.0.0", 1, 1, false)));
    applier.apply(desired(2, release("2.0.0", 2, 2, false)));
    Rollback rollback = models.slot(model).orElseThrow().rollback("error rate 0.5 over 20");
    applier.rolledBack(rollback);
    servesVersion("1.0.0");
    assertEquals(EventType.ROLLED_BACK, lastEvent().type());
    assertEquals(ModelStatus.ROLLED_BACK, lastReport().models().get(0).status());
    assertEquals("1.0.0", lastReport().models().get(0).active().version());

    assertFalse(applier.reconcile());
    servesVersion("1.0.0");
    Applier restarted = newApplier();
    restarted.restore();
    assertFalse(restarted.reconcile());
    servesVersion("1.0.0");
    assertEquals(ModelStatus.ROLLED_BACK, lastReport().models().get(0).status());
    assertEquals("1.0.0", restarted.state().orElseThrow().models().get(model).active().version());
  }
}
