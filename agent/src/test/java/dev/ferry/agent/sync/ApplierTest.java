package dev.ferry.agent.sync;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.Backoff;
import dev.ferry.agent.identity.LogCapture;
import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.ProviderSettings;
import dev.ferry.agent.runtime.ProviderSetup;
import dev.ferry.agent.runtime.Rollback;
import dev.ferry.agent.runtime.UsableProviders;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.telemetry.ServingMeters;
import dev.ferry.agent.trust.DesiredStateVerifier;
import dev.ferry.agent.trust.RevocationStore;
import dev.ferry.agent.trust.RootFollower;
import dev.ferry.agent.trust.TrustStore;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.VersionInfo;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.release.RevokedRelease;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Desired states applied end to end in one agent: signed states, artifacts from the real
 * Distribution registry, versions served over the Open Inference Protocol.
 */
@QuarkusTest
class ApplierTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Models models;
  @Inject ServingMeters meters;

  private final TestHub hub = new TestHub();
  private final TrustRoot trust = hub.trustRoot();
  private final List<DeviceEvent> events = new ArrayList<>();
  private final List<ReportedState> reports = new ArrayList<>();
  private final String device = "edge-" + System.nanoTime();
  private final String model = "m" + Long.toHexString(System.nanoTime());
  private String registry;
  private String pullFrom;
  private ArtifactFetcher fetcher;
  // whether a newer desired state waits, as the apply queue would say
  private volatile java.util.function.BooleanSupplier newer = () -> false;
  private RegistryClient client;
  private final Map<String, RegistryClient> clients =
      new java.util.concurrent.ConcurrentHashMap<>();
  private ExecutorService executor;
  @TempDir Path dir;
  private ContentStore store;
  private StateFile stateFile;
  private Applier applier;
  private UsableProviders usable = UsableProviders.cpuOnly();
  // what the cache's file system says it has free; null: what it really has
  private volatile java.util.function.LongSupplier free;

  @BeforeEach
  void setUp() throws Exception {
    registry = Services.start("registry").get("FERRY_REGISTRY");
    pullFrom = registry;
    client = RegistryClient.builder(registry).plainHttp(true).build();
    executor = Executors.newFixedThreadPool(2);
    applier = newApplier();
    applier.restore();
  }

  private Applier newApplier() {
    return newApplier(
        host ->
            clients.computeIfAbsent(host, h -> RegistryClient.builder(h).plainHttp(true).build()));
  }

  private Applier newApplier(java.util.function.Function<String, RegistryClient> registries) {
    store = new ContentStore(dir);
    stateFile = new StateFile(dir);
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
    fetcher =
        new ArtifactFetcher(
            store,
            registries,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(10), 2),
            executor,
            () -> free == null ? store.freeBytes() : free.getAsLong());
    return new Applier(
        new Applier.Parts(
            device,
            "0.1.0",
            Map.of(),
            new ProviderSetup(List.of("CPU"), usable, ProviderSettings.defaults(dir), List.of()),
            new DesiredStateVerifier(() -> trust, new JsonCodec()),
            fetcher,
            store,
            stateFile,
            models,
            reporter,
            new RootFollower(trustStore(), new JsonCodec(), 32),
            Clock.systemUTC(),
            RevocationStore.load(() -> trust, dir, CODEC),
            new Freshness(Duration.ofDays(3), Clock.systemUTC()),
            () -> newer.getAsBoolean()));
  }

  /** The device holds this test hub's root, provisioned into its data directory. */
  private TrustStore trustStore() {
    try {
      Path file = Files.write(dir.resolve("root.json"), hub.signedRoot());
      return TrustStore.load(java.util.Optional.of(file), dir, new JsonCodec());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
    return release(model, version, releaseSeq, seed, breakGolden);
  }

  private ModelAssignment release(
      String name, String version, long releaseSeq, long seed, boolean breakGolden)
      throws Exception {
    return hub.assign(
        hub.publish(
            client,
            pullFrom,
            "agent-apply/" + name,
            name,
            version,
            releaseSeq,
            new int[] {4, 2},
            seed,
            breakGolden ? TestHub.Flaw.GOLDEN_MISMATCH : TestHub.Flaw.NONE,
            dir));
  }

  /** A proxy to the registry that the releases published from now on are pulled through. */
  private CuttingProxy registryProxy() throws java.io.IOException {
    int port = Integer.parseInt(registry.substring(registry.lastIndexOf(':') + 1));
    CuttingProxy proxy = new CuttingProxy(port, Long.MAX_VALUE, false);
    pullFrom = proxy.address();
    return proxy;
  }

  private byte[] desired(long sequence, ModelAssignment... assignments) {
    return hub.desired(device, sequence, assignments);
  }

  private void servesVersion(String version) {
    servesVersion(model, version);
  }

  private void servesVersion(String name, String version) {
    given()
        .contentType("application/json")
        .body(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")
        .post("/v2/models/" + name + "/infer")
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

  /** A revocation list of that version, signed by {@code signer}, revoking the assignments. */
  private byte[] revocations(long version, Signer signer, ModelAssignment... revoked) {
    List<RevokedRelease> releases = new ArrayList<>();
    for (ModelAssignment assignment : revoked) {
      String revokedVersion =
          CODEC
              .decode(assignment.release().payloadBytes(), ReleaseStatement.class)
              .predicate()
              .version();
      releases.add(
          new RevokedRelease(
              model, revokedVersion, assignment.manifestDigest(), TestHub.NOW, "misreads"));
    }
    Revocations list = new Revocations(version, TestHub.NOW, null, releases);
    return CODEC.encode(signer.sign(PayloadTypes.REVOCATIONS, CODEC.encode(list)));
  }

  /** A signed desired state that assigns some releases and prefetches others. */
  private byte[] prefetching(
      long sequence, List<ModelAssignment> assigned, List<ModelAssignment> prefetch) {
    java.time.Instant now = java.time.Instant.now();
    return hub.desired(
        new dev.ferry.protocol.device.DesiredState(
            device,
            sequence,
            now.minus(Duration.ofMinutes(1)),
            now.plus(Duration.ofHours(1)),
            assigned,
            prefetch));
  }

  /** The same release, to be fetched from a registry nothing listens on. */
  private static ModelAssignment unreachable(ModelAssignment release) {
    return new ModelAssignment(
        release.name(), "127.0.0.1:1/unreachable", release.manifestDigest(), release.release());
  }

  @Test
  void prefetch_fetchesAheadWithoutServing_andItsAssignmentInstallsFromTheCache() throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    applier.apply(desired(1, v1));
    ModelAssignment v2 = release("2.0.0", 2, 2, false);
    events.clear();

    assertFalse(applier.apply(prefetching(2, List.of(v1), List.of(v2))));

    servesVersion("1.0.0");
    assertEquals(List.of(EventType.DESIRED_ACCEPTED, EventType.PREFETCHED), eventTypes());
    assertEquals("2.0.0", lastEvent().version());
    assertEquals(ModelStatus.ACTIVE, lastReport().models().get(0).status());
    assertEquals("1.0.0", lastReport().models().get(0).active().version());
    assertTrue(store.blob(v2.manifestDigest()).isPresent(), "the prefetched manifest is cached");
    // a restart keeps the prefetched release (and its blobs) on record
    applier = newApplier();
    applier.restore();
    assertEquals(
        v2.manifestDigest(),
        applier.state().orElseThrow().prefetched().get(model).manifestDigest());

    // its wave comes, from a registry that cannot be reached now: it installs from the cache
    events.clear();
    try (LogCapture log = new LogCapture(Installer.class)) {
      assertFalse(applier.apply(desired(3, unreachable(v2))));
      // before: "(fetched, verified, validated)", though nothing was fetched
      assertTrue(
          log.lines.stream()
              .anyMatch(
                  l ->
                      l.startsWith("serving " + model + " 2.0.0 in place of 1.0.0")
                          && l.endsWith(" ms (prefetched earlier, validated)")),
          String.valueOf(log.lines));
    }

    servesVersion("2.0.0");
    assertEquals(
        List.of(
            EventType.DESIRED_ACCEPTED,
            EventType.VERIFIED,
            EventType.VALIDATED,
            EventType.ACTIVATED),
        eventTypes());
    assertEquals(Map.of(), applier.state().orElseThrow().prefetched());
  }

  @Test
  void prefetch_givesWayToANewerDesiredState_whileItsDownloadGoesOn() throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    applier.apply(desired(1, v1));
    try (CuttingProxy proxy = registryProxy()) {
      ModelAssignment v2 = release("2.0.0", 2, 2, false);
      proxy.throttle(2_000); // the layers take a second or so
      // a newer desired state comes once the layers are downloading
      newer = () -> !fetcher.downloading().isEmpty();
      events.clear();

      assertTrue(applier.apply(prefetching(2, List.of(v1), List.of(v2))), "tried again later");

      assertEquals(List.of(EventType.DESIRED_ACCEPTED), eventTypes(), "gave way quietly");
      assertEquals(Map.of(), applier.state().orElseThrow().prefetched());
      servesVersion("1.0.0");
      newer = () -> false;
      // the download went on without anyone waiting for it
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!fetcher.downloading().isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the layers never finished downloading");
        Thread.sleep(20);
      }
      // so the prefetch, tried again, needs no registry
      proxy.down(true);
      assertFalse(applier.reconcile());
      assertEquals(EventType.PREFETCHED, lastEvent().type());
      assertEquals(
          v2.manifestDigest(),
          applier.state().orElseThrow().prefetched().get(model).manifestDigest());
    }
  }

  @Test
  void install_givesWayToANewerDesiredState_aRollbackDoesNotWaitForItsDownload_andStopsIt()
      throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    applier.apply(desired(1, v1));
    try (CuttingProxy proxy = registryProxy()) {
      ModelAssignment v2 = release("2.0.0", 2, 2, false);
      proxy.throttle(200); // the layers take seconds
      newer = () -> !fetcher.downloading().isEmpty();
      events.clear();

      assertTrue(applier.apply(desired(2, v2)), "the install is tried again later");

      assertFalse(fetcher.downloading().isEmpty(), "v2's layers still downloading");
      assertTrue(events.stream().noneMatch(e -> e.type() == EventType.FAILED), "gave way quietly");
      servesVersion("1.0.0");
      // the newer state, back to v1, applies while they do
      newer = () -> false;
      assertFalse(applier.apply(desired(3, v1)));
      assertTrue(fetcher.downloading().isEmpty(), "the download nothing wants now was stopped");
      servesVersion("1.0.0");
      assertEquals(ModelStatus.ACTIVE, lastReport().models().get(0).status());
      assertEquals(3, lastReport().desiredSequence());
    }
  }

  @Test
  void install_thatGaveWayToAStateNotAccepted_goesOnAtOnce() throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    applier.apply(desired(1, v1));
    try (CuttingProxy proxy = registryProxy()) {
      ModelAssignment v2 = release("2.0.0", 2, 2, false);
      proxy.throttle(2_000);
      newer = () -> !fetcher.downloading().isEmpty();
      byte[] second = desired(2, v2);
      assertTrue(applier.apply(second), "gave way");

      // what came was the same state again (a retained message after a reconnect)
      newer = () -> false;
      assertFalse(applier.apply(second), "installed without waiting for a retry");
      servesVersion("2.0.0");
    }
  }

  @Test
  void install_ofANewModelThatGaveWay_isNotReportedDownloadingOnceNoLongerAssigned()
      throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    applier.apply(desired(1, v1));
    try (CuttingProxy proxy = registryProxy()) {
      String other = model + "b";
      ModelAssignment first = release(other, "1.0.0", 1, 3, false);
      proxy.throttle(1_000);
      newer = () -> !fetcher.downloading().isEmpty();
      assertTrue(applier.apply(desired(2, v1, first)), "gave way");

      // the newer state no longer assigns the new model
      newer = () -> false;
      assertFalse(applier.apply(desired(3, v1)));

      assertEquals(3, lastReport().desiredSequence());
      assertEquals(
          List.of(model + "=ACTIVE"),
          lastReport().models().stream().map(m -> m.name() + "=" + m.status()).toList(),
          "only what serves is reported");
    }
  }

  @Test
  void install_ofANewModelWaitingForARetry_isNotReportedPendingOnceNoLongerAssigned()
      throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    ModelAssignment other = unreachable(release(model + "c", "1.0.0", 1, 4, false));
    assertTrue(applier.apply(desired(1, v1, other)), "retried later");
    assertEquals(
        List.of(model + "=ACTIVE", model + "c=PENDING"),
        lastReport().models().stream().map(m -> m.name() + "=" + m.status()).toList());

    assertFalse(applier.apply(desired(2, v1)));

    assertEquals(
        List.of(model + "=ACTIVE"),
        lastReport().models().stream().map(m -> m.name() + "=" + m.status()).toList());
  }

  @Test
  void prefetch_noLongerAsked_isDroppedFromTheCache() throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    ModelAssignment v2 = release("2.0.0", 2, 2, false);
    applier.apply(prefetching(1, List.of(v1), List.of(v2)));
    assertTrue(store.blob(v2.manifestDigest()).isPresent());

    applier.apply(desired(2, v1));

    servesVersion("1.0.0");
    assertTrue(store.blob(v2.manifestDigest()).isEmpty(), "garbage collection took it");
    assertEquals(Map.of(), applier.state().orElseThrow().prefetched());
  }

  @Test
  void aFullDisk_hasTheCacheCollectedWhileTheInstallWaits_keepingWhatTheInstallNeeds()
      throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    ModelAssignment v2 = release("2.0.0", 2, 2, false);
    ModelAssignment v3 = release("3.0.0", 3, 3, false);
    applier.apply(prefetching(1, List.of(v1), List.of(v2)));
    assertTrue(store.blob(v2.manifestDigest()).isPresent());
    free = () -> 0;

    assertTrue(applier.apply(desired(2, v3)), "the install waits for room");
    assertTrue(lastEvent().reason().startsWith("DISK_FULL: "), lastEvent().reason());
    assertTrue(
        store.blob(v2.manifestDigest()).isEmpty(),
        "the prefetch no longer asked for is collected while the install waits");
    // a download of v3's model cut part-way: the partial file stays for the install to resume
    Descriptor model3 =
        CODEC
            .decode(
                Files.readAllBytes(store.blob(v3.manifestDigest()).orElseThrow()), Manifest.class)
            .layerAt("model.onnx");
    Path whole = dir.resolve("model3.onnx");
    client.pullBlob("agent-apply/" + model, model3, whole, done -> {});
    byte[] half = Arrays.copyOf(Files.readAllBytes(whole), (int) model3.size() / 2);
    Files.write(RegistryClient.partOf(store.incomingFor(model3.digest())), half);
    assertTrue(applier.reconcile(), "still no room");
    assertEquals(half.length, store.partialBytes(model3.digest()));
    servesVersion("1.0.0");

    free = null;
    assertFalse(applier.reconcile());
    servesVersion("3.0.0");
  }

  @Test
  void prefetch_unreachable_isRetriedAndDisturbsNothing() throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    ModelAssignment v2 = release("2.0.0", 2, 2, false);
    applier.apply(desired(1, v1));
    events.clear();

    assertTrue(applier.apply(prefetching(2, List.of(v1), List.of(unreachable(v2)))));

    servesVersion("1.0.0");
    assertEquals(List.of(EventType.DESIRED_ACCEPTED, EventType.FAILED), eventTypes());
    assertTrue(
        lastEvent().reason().startsWith("prefetch failed: UNAVAILABLE: "), lastEvent().reason());
    assertTrue(lastEvent().reason().endsWith("; retrying"), lastEvent().reason());
    assertEquals(ModelStatus.ACTIVE, lastReport().models().get(0).status());
    assertTrue(applier.reconcile(), "still unreachable");
    assertTrue(applier.reconcile(), "still unreachable");
    assertEquals(List.of(EventType.DESIRED_ACCEPTED, EventType.FAILED), eventTypes());
  }

  @Test
  void prefetch_withAStatementTheReleaseKeyDidNotSign_isRefusedAndTheStateStillApplies()
      throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    ModelAssignment v2 = release("2.0.0", 2, 2, false);
    ModelAssignment forged =
        new ModelAssignment(
            v2.name(),
            v2.repository(),
            v2.manifestDigest(),
            hub.hub.sign(PayloadTypes.IN_TOTO, v2.release().payloadBytes()));

    assertFalse(applier.apply(prefetching(1, List.of(v1), List.of(forged))));

    servesVersion("1.0.0");
    DeviceEvent refused =
        events.stream().filter(e -> e.type() == EventType.FAILED).findFirst().orElseThrow();
    assertEquals(model, refused.model());
    assertTrue(
        refused.reason().startsWith("prefetch refused: UNTRUSTED_RELEASE: "), refused.reason());
    assertTrue(store.blob(v2.manifestDigest()).isEmpty(), "nothing of it was fetched");
  }

  @Test
  void unusablePreferredProvider_isOneEventAndAProblemInTheReport() throws Exception {
    events.clear();
    usable = new UsableProviders(Set.of("CPU"), Map.of("CUDA", "not in this ONNX Runtime build"));
    newApplier().restore();
    assertEquals(List.of(EventType.PROVIDER_UNUSABLE), eventTypes());
    assertEquals(
        "execution provider CUDA is not usable: not in this ONNX Runtime build",
        lastEvent().reason());
    assertEquals(List.of("CPU"), lastReport().executionProviders());
    assertEquals(Map.of("CUDA", "not in this ONNX Runtime build"), lastReport().providerProblems());
  }

  @Test
  void install_recordsAVersionInStateJsonOnlyOnceItsBlobsAreSynced() throws Exception {
    executor.shutdownNow();
    executor = syncingLate(Duration.ofMillis(300));
    applier = newApplier();
    applier.restore();
    // each save of state.json that names blobs: how many blobs the cache had not synced yet
    List<Integer> unsyncedAtSave = new CopyOnWriteArrayList<>();
    ContentStore cache = store;
    stateFile.watch(
        state -> {
          if (!state.referencedBlobs().isEmpty()) {
            unsyncedAtSave.add(syncNow(cache));
          }
        });

    applier.apply(desired(1, release("1.0.0", 1, 1, false)));

    servesVersion("1.0.0");
    assertEquals(List.of(0), unsyncedAtSave);
  }

  /** Syncs the cache and says how many blobs that took. */
  private static int syncNow(ContentStore cache) {
    try {
      return cache.sync();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * An executor for the fetcher that runs its sync (an asynchronous completion task) only after a
   * delay, longer than loading the test's model takes, and the downloads at once.
   */
  private static ExecutorService syncingLate(Duration delay) {
    return new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
      @Override
      public void execute(Runnable task) {
        if (!(task instanceof CompletableFuture.AsynchronousCompletionTask)) {
          super.execute(task);
          return;
        }
        super.execute(
            () -> {
              try {
                Thread.sleep(delay.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              task.run();
            });
      }
    };
  }

  @Test
  void revokedActiveVersion_fallsBackKeepsOutAndSurvivesARestart() throws Exception {
    applier.apply(desired(1, release("1.0.0", 1, 1, false)));
    ModelAssignment v2 = release("2.0.0", 2, 2, false);
    applier.apply(desired(2, v2));
    servesVersion("2.0.0");
    LoadedVersion revoked = models.slot(model).orElseThrow().active();

    applier.revocations(revocations(3, hub.release, v2));
    servesVersion("1.0.0");
    assertTrue(revoked.isClosed(), "the revoked version's session is closed once drained");
    assertEquals(EventType.REVOKED, lastEvent().type());
    String reason = "REVOKED: " + model + "@2.0.0 was revoked at " + TestHub.NOW + ": misreads";
    assertEquals(reason, lastEvent().reason());
    assertEquals(List.of(model + "@2.0.0"), lastReport().revoked());
    assertEquals("1.0.0", lastReport().models().get(0).active().version());

    applier.revocations(revocations(2, hub.release));
    applier.apply(desired(3, v2));
    servesVersion("1.0.0");
    assertEquals(List.of(model + "@2.0.0"), lastReport().revoked());
    assertEquals(ModelStatus.FAILED, lastReport().models().get(0).status());

    Applier restarted = newApplier();
    restarted.restore();
    servesVersion("1.0.0");
    restarted.apply(desired(4, v2));
    servesVersion("1.0.0");
  }

  @Test
  void revokedOnlyVersion_stopsServingAndSaysSo() throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    applier.apply(desired(1, v1));
    servesVersion("1.0.0");
    LoadedVersion revoked = models.slot(model).orElseThrow().active();

    applier.revocations(revocations(1, hub.hub, v1));
    servesVersion("1.0.0");

    applier.revocations(revocations(1, hub.release, v1));
    String stopped =
        "model '"
            + model
            + "' stopped serving: REVOKED: "
            + model
            + "@1.0.0 was revoked at "
            + TestHub.NOW
            + ": misreads";
    given().get("/v2/models/" + model + "/ready").then().statusCode(404);
    answersStopped(stopped);
    assertTrue(revoked.isClosed(), "the revoked version's session is closed");
    assertEquals(EventType.REVOKED, lastEvent().type());
    assertEquals(ModelStatus.FAILED, lastReport().models().get(0).status());
    assertEquals(List.of(model + "@1.0.0"), lastReport().revoked());
    assertFalse(applier.assignedModelsServe());

    Applier restarted = newApplier();
    restarted.restore();
    answersStopped(stopped);
  }

  private void answersStopped(String message) {
    given()
        .contentType("application/json")
        .body(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")
        .post("/v2/models/" + model + "/infer")
        .then()
        .statusCode(404)
        .body("error", equalTo(message));
  }

  @Test
  void install_andSwap_logWhatServesNow() throws Exception {
    try (LogCapture log = new LogCapture(Installer.class)) {
      applier.apply(desired(1, release("1.0.0", 1, 1, false)));
      servesVersion("1.0.0");
      applier.apply(desired(2, release("2.0.0", 2, 2, false)));
      servesVersion("2.0.0");

      List<String> serving = log.lines.stream().filter(l -> l.startsWith("serving ")).toList();
      assertEquals(2, serving.size(), String.valueOf(log.lines));
      assertTrue(
          serving.get(0).startsWith("serving " + model + " 1.0.0, installed in "), serving.get(0));
      assertTrue(
          serving.get(1).startsWith("serving " + model + " 2.0.0 in place of 1.0.0, installed in "),
          serving.get(1));
    }
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
  void emptyPayload_aClearedRetainedState_isIgnoredQuietly() throws Exception {
    applier.apply(desired(1, release("1.0.0", 1, 1, false)));
    servesVersion("1.0.0");
    int before = events.size();

    // an operator (or a test) deletes the retained desired state: MQTT sends an empty message
    applier.apply(new byte[0]);

    assertEquals(before, events.size(), "no rejection for a cleared topic: " + events);
    servesVersion("1.0.0");
    assertEquals(1, applier.state().orElseThrow().accepted().sequence());
    applier.apply(desired(2, release("2.0.0", 2, 2, false)));
    servesVersion("2.0.0");
  }

  @Test
  void unreachableRegistry_isRetriedAndTheInstallResumesAfterARestart() throws Exception {
    try (CuttingProxy proxy = registryProxy()) {
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
  void anInstallRetried_isWarnedOnce_andItsEndSaysHowManyAttemptsItTook() throws Exception {
    try (CuttingProxy proxy = registryProxy();
        LogCapture log = new LogCapture(Reconciliation.class)) {
      proxy.down(true);
      assertTrue(applier.apply(desired(1, release("1.0.0", 1, 1, false))));
      assertTrue(applier.reconcile(), "still unreachable");
      assertTrue(applier.reconcile(), "still unreachable");
      assertEquals(1, log.warnings.size(), String.valueOf(log.lines));
      // one event too: offline for long, a FAILED event per attempt would crowd out the others
      assertEquals(
          List.of(EventType.DESIRED_ACCEPTED, EventType.FAILED),
          eventTypes(),
          String.valueOf(events));
      assertTrue(
          log.warnings.get(0).startsWith("version 1.0.0 of " + model + " not installed yet,"),
          log.warnings.get(0));
      assertTrue(log.warnings.get(0).contains("UNAVAILABLE"), log.warnings.get(0));

      proxy.down(false);
      assertFalse(applier.reconcile());
      servesVersion("1.0.0");
      String ended = "version 1.0.0 of " + model + " installed after 3 failed attempts over ";
      assertTrue(log.lines.stream().anyMatch(l -> l.startsWith(ended)), String.valueOf(log.lines));
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
  void severalModels_restoreSideBySide_andOneWithAnAlteredFileHoldsNoneBack() throws Exception {
    String other = model + "b";
    String third = model + "c";
    applier.apply(
        desired(
            1,
            release("1.0.0", 1, 1, false),
            release(other, "3.0.0", 1, 7, false),
            release(third, "5.0.0", 1, 9, false)));
    servesVersion("1.0.0");
    servesVersion(other, "3.0.0");
    servesVersion(third, "5.0.0");
    Digest altered =
        applier.state().orElseThrow().models().get(other).active().files().get("model.onnx");
    Files.writeString(dir.resolve("blobs/sha256/" + altered.hex()), "not the signed model");
    // a new process: nothing serves until the cache is restored
    List.of(model, other, third).forEach(name -> models.stop(name, "restarting"));
    events.clear();

    Applier restarted = newApplier();
    restarted.restore();
    servesVersion("1.0.0");
    servesVersion(third, "5.0.0");
    given().get("/v2/models/" + other + "/ready").then().statusCode(404);
    assertEquals(List.of(EventType.FAILED), eventTypes());
    assertEquals(other, lastEvent().model());
    assertTrue(lastEvent().reason().startsWith("cache: "), lastEvent().reason());
    Map<String, ModelStatus> statuses = new java.util.TreeMap<>();
    lastReport().models().forEach(each -> statuses.put(each.name(), each.status()));
    assertEquals(
        Map.of(model, ModelStatus.ACTIVE, other, ModelStatus.FAILED, third, ModelStatus.ACTIVE),
        statuses);

    assertFalse(restarted.reconcile());
    servesVersion(other, "3.0.0");
    assertTrue(restarted.assignedModelsServe());
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

  @Test
  void aDefectDuringAnInstall_isRetriedAndNeverRecordedAsTheVersionsFailure() throws Exception {
    ModelAssignment v1 = release("1.0.0", 1, 1, false);
    Applier buggy =
        newApplier(
            host -> {
              throw new IllegalStateException("a defect in the agent");
            });
    buggy.restore();

    assertTrue(buggy.apply(desired(1, v1)), "the install waits for a retry");

    String reason = "INTERNAL_ERROR: java.lang.IllegalStateException: a defect in the agent";
    assertEquals(EventType.FAILED, lastEvent().type());
    assertEquals(reason + "; retrying", lastEvent().reason());
    assertEquals(ModelStatus.PENDING, lastReport().models().get(0).status());
    assertEquals(Map.of(), buggy.state().orElseThrow().failed(), "nothing failed for good");
    Applier restarted = newApplier();
    restarted.restore();
    assertEquals(Map.of(), restarted.state().orElseThrow().failed());
    assertFalse(restarted.reconcile(), "installed once the defect is gone");
    servesVersion("1.0.0");
  }

  /**
   * A release with an FP16 variant for CUDA listed first and, unless left out, the FP32 one for
   * CPU; the CPU variant's golden outputs are broken on request.
   */
  private TestHub.Release variants(String version, long seq, boolean withCpu, boolean breakCpu)
      throws Exception {
    String repository = "agent-apply/" + model;
    int[] shape = {4, 2};
    List<TestHub.Variant> parts = new ArrayList<>();
    parts.add(
        new TestHub.Variant(
            "fp16-cuda",
            List.of("CUDA"),
            Precision.FP16,
            hub.publishHalf(
                client,
                pullFrom,
                repository,
                model,
                version,
                seq,
                shape,
                5,
                List.of("CUDA"),
                dir)));
    if (withCpu) {
      TestHub.Flaw flaw = breakCpu ? TestHub.Flaw.GOLDEN_MISMATCH : TestHub.Flaw.NONE;
      parts.add(
          new TestHub.Variant(
              "fp32-cpu",
              List.of("CPU"),
              Precision.FP32,
              hub.publish(client, pullFrom, repository, model, version, seq, shape, 5, flaw, dir)));
    }
    return hub.publishVariants(client, seq, parts);
  }

  private Digest weights(String file) throws java.io.IOException {
    return Digest.of(Files.readAllBytes(dir.resolve(file)));
  }

  @Test
  void variants_theCpuVariantIsChosenFetchedAloneServedAndReported() throws Exception {
    TestHub.Release release = variants("1.0.0", 1, true, false);
    applier.apply(desired(1, hub.assign(release)));
    servesVersion("1.0.0");
    VersionInfo active = lastReport().models().get(0).active();
    assertEquals("fp32-cpu", active.variant());
    assertEquals("CPU", active.executionProvider());
    assertEquals(release.manifestDigest(), active.manifestDigest());
    ReleasePredicate predicate = release.statement().predicate();
    ContentStore store = new ContentStore(dir);
    assertTrue(store.blob(predicate.variants().get(1).manifestDigest()).isPresent());
    assertTrue(store.blob(predicate.variants().get(0).manifestDigest()).isEmpty());
    // the FP16 weights stayed in the registry; the FP32 ones are cached
    assertTrue(store.blob(weights(model + "-1.0.0-fp16.onnx")).isEmpty());
    assertTrue(store.blob(weights(model + "-1.0.0.onnx")).isPresent());
    assertEquals(List.of("fp32-cpu"), servedVariants(), "telemetry names the variant that served");

    Applier restarted = newApplier();
    restarted.restore();
    servesVersion("1.0.0");
    assertEquals(List.of("fp32-cpu"), servedVariants(), "restored from the cache, the same one");
  }

  /** The variants this test's model served, as its telemetry names them. */
  private List<String> servedVariants() {
    return meters.cumulative().stream()
        .filter(served -> served.name().equals(model))
        .map(ModelTelemetry::variant)
        .toList();
  }

  @Test
  void variants_noneFitsTheUsableProviders_isRefusedAndTheOldVersionKeepsServing()
      throws Exception {
    applier.apply(desired(1, release("1.0.0", 1, 1, false)));
    applier.apply(desired(2, hub.assign(variants("2.0.0", 2, false, false))));
    servesVersion("1.0.0");
    assertEquals(ModelStatus.FAILED, lastReport().models().get(0).status());
    assertEquals(
        "no variant fits this device: variants [fp16-cuda [CUDA]], usable providers [CPU],"
            + " preference [CPU]",
        lastEvent().reason());
  }

  @Test
  void variants_aChosenVariantFailingItsGoldenCheck_isRefusedAndTheOldVersionKeepsServing()
      throws Exception {
    applier.apply(desired(1, release("1.0.0", 1, 1, false)));
    applier.apply(desired(2, hub.assign(variants("2.0.0", 2, true, true))));
    servesVersion("1.0.0");
    assertEquals(ModelStatus.FAILED, lastReport().models().get(0).status());
    assertEquals(EventType.FAILED, lastEvent().type());
    assertTrue(lastEvent().reason().contains("golden"), lastEvent().reason());
  }
}
