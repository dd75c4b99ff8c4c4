package dev.ferry.hub.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Packing, listing and expiring datasets over the hub's database. Each test has a model of its own;
 * a second {@link Captures} over the same database plays another replica.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class CapturesTest {
  private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
  private static final LocalDate DAY = LocalDate.parse("2026-05-04");
  private static final AtomicInteger MODELS = new AtomicInteger();

  @Inject Database db;
  private final MemoryRegistry registry = new MemoryRegistry();
  private final JsonCodec codec = new JsonCodec();
  private final String det =
      "det-" + ProcessHandle.current().pid() + "-" + MODELS.incrementAndGet();

  @BeforeEach
  void empty() {
    db.transaction(
        c -> {
          for (String table :
              List.of("capture_sample_body", "capture_sample", "capture_dataset", "capture_day")) {
            Jdbc.update(c, "DELETE FROM " + table);
          }
          return null;
        });
  }

  @Test
  void pack_pushesADatasetWithAnIndexAndNpyTensorsAndListsIt() {
    CapturePolicy policy = CapturePolicy.sampling(0.01, 10, 1 << 20);
    PolicyRecord record = PolicyRecord.of(null, policy);
    store(record, "dev-1", sample("a-1", T0), sample("a-2", T0.plusSeconds(60)));
    store(record, "dev-2", sample("b-1", T0.plusSeconds(30)));

    List<DatasetSummary> made = captures(registry).pack(det, "1.0.0", DAY);

    assertEquals(1, made.size());
    DatasetSummary dataset = made.get(0);
    assertEquals("1.0.0-2026-05-04", dataset.name());
    assertEquals("hub:8080/models/" + det + "/captures:1.0.0-2026-05-04", dataset.reference());
    assertEquals(3, dataset.samples());
    assertEquals(List.of("dev-1", "dev-2"), dataset.devices());
    assertEquals(T0, dataset.from());
    assertEquals(T0.plusSeconds(60), dataset.to());
    assertEquals(List.of(dataset), captures(registry).list(det, "1.0.0"));

    Manifest manifest =
        codec.decode(
            registry.manifests.get("models/" + det + "/captures:" + dataset.name()),
            Manifest.class);
    assertEquals(DatasetPush.ARTIFACT_TYPE, manifest.artifactType());
    assertEquals(det, manifest.annotations().get(DatasetPacker.MODEL));
    assertEquals("dev-1,dev-2", manifest.annotations().get(DatasetPacker.DEVICES));
    assertEquals(
        new String(codec.encode(policy), StandardCharsets.UTF_8),
        manifest.annotations().get(DatasetPacker.POLICY));
    assertEquals("release", manifest.annotations().get(DatasetPacker.POLICY_SCOPE));
    assertEquals(
        record.digest().toString(), manifest.annotations().get(DatasetPacker.POLICY_DIGEST));
    assertEquals(4, manifest.layers().size());
    assertTrue(
        manifest.layers().stream()
            .allMatch(l -> l.mediaType().equals(MediaTypes.MODEL_DATASET_RAW)));

    String index =
        new String(
            registry.blobs.get(manifest.layerAt("index.jsonl").digest()), StandardCharsets.UTF_8);
    assertEquals(
        "{\"sample\":\"a-1\",\"device\":\"dev-1\",\"capturedAt\":\"2026-05-04T08:00:00Z\",\"failed\":false,"
            + "\"tensors\":[{\"name\":\"x\",\"output\":false,\"datatype\":\"FP32\",\"shape\":[1,3],"
            + "\"file\":\"tensors/dev-1.a-1-0.npy\"}]}",
        index.lines().findFirst().orElseThrow());
    byte[] npy = registry.blobs.get(manifest.layerAt("tensors/dev-1.a-1-0.npy").digest());
    int headerLength = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    assertEquals(128, 10 + headerLength);
    String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
    assertTrue(header.endsWith(" \n"), header);
    assertTrue(
        header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }"), header);
    assertArrayEquals(floats(1.5f, -2f, 3.25f), Arrays.copyOfRange(npy, 128, npy.length));
  }

  @Test
  void pack_makesADatasetPerPolicyInTheOrderOfTheirFirstSampleAndNamesEach() {
    PolicyRecord rollout = PolicyRecord.of("r-1", CapturePolicy.sampling(1, 100, 1 << 20));
    PolicyRecord release = PolicyRecord.of(null, CapturePolicy.sampling(0.01, 10, 1 << 20));
    store(release, "dev-2", sample("v-1", T0.plusSeconds(1)), sample("v-2", T0.plusSeconds(3)));
    store(rollout, "dev-1", sample("r-1", T0), sample("r-2", T0.plusSeconds(2)));
    store("dev-3", sample("u-1", T0.plusSeconds(4)));

    List<DatasetSummary> made = captures(registry).pack(det, "1.0.0", DAY);

    assertEquals(
        List.of("1.0.0-2026-05-04", "1.0.0-2026-05-04-2", "1.0.0-2026-05-04-3"), names(made));
    assertEquals(List.of(2, 2, 1), made.stream().map(DatasetSummary::samples).toList());
    assertEquals(List.of("dev-1"), made.get(0).devices());
    Map<String, String> underRollout = annotations(made.get(0));
    assertEquals(rollout.json(), underRollout.get(DatasetPacker.POLICY));
    assertEquals("rollout", underRollout.get(DatasetPacker.POLICY_SCOPE));
    assertEquals("r-1", underRollout.get(DatasetPacker.POLICY_ROLLOUT));
    assertEquals(rollout.digest().toString(), underRollout.get(DatasetPacker.POLICY_DIGEST));
    Map<String, String> underRelease = annotations(made.get(1));
    assertEquals(release.json(), underRelease.get(DatasetPacker.POLICY));
    assertEquals("release", underRelease.get(DatasetPacker.POLICY_SCOPE));
    assertFalse(underRelease.containsKey(DatasetPacker.POLICY_ROLLOUT));
    assertEquals(release.digest().toString(), underRelease.get(DatasetPacker.POLICY_DIGEST));
    // a sample stored before the hub kept its policy: its dataset names none
    Map<String, String> unknown = annotations(made.get(2));
    assertEquals(
        List.of(),
        unknown.keySet().stream().filter(k -> k.startsWith(DatasetPacker.POLICY)).toList());
  }

  @Test
  void policyRecord_digestDiffersByScopeAndSettingAndIsStableForOne() {
    CapturePolicy policy = CapturePolicy.sampling(0.5, 10, 1000);
    PolicyRecord release = PolicyRecord.of(null, policy);

    assertEquals(release.digest(), new PolicyRecord(null, release.json()).digest());
    assertFalse(release.digest().equals(PolicyRecord.of("r-1", policy).digest()));
    assertFalse(
        PolicyRecord.of("r-1", policy).digest().equals(PolicyRecord.of("r-2", policy).digest()));
    assertFalse(
        release
            .digest()
            .equals(PolicyRecord.of(null, CapturePolicy.sampling(0.6, 10, 1000)).digest()));
    assertEquals(policy, release.policy());
  }

  @Test
  void store_keepsASampleOnceAcrossResendsBeforeAndAfterPacking() {
    assertEquals(List.of(true), store("dev-1", sample("a-1", T0)));
    assertEquals(List.of(false), store("dev-1", sample("a-1", T0)));
    assertEquals(1, bodies(), "a sample's JSON is kept until it is packed");
    assertEquals(1, captures(registry).pack(det, "1.0.0", DAY).get(0).samples());
    assertEquals(0, bodies(), "and dropped once packed");
    assertEquals(List.of(false), store("dev-1", sample("a-1", T0)));
    assertEquals(0, bodies(), "a resend of a packed sample stores nothing");
    assertEquals(List.of(), captures(registry).pack(det, "1.0.0", DAY));
    // the same id from another device is another sample
    assertEquals(List.of(true), store("dev-2", sample("a-1", T0)));
    DatasetSummary second = captures(registry).pack(det, "1.0.0", DAY).get(0);
    assertEquals("1.0.0-2026-05-04-2", second.name());
    assertEquals(2, captures(registry).list(det, "1.0.0").size());
  }

  @Test
  void packFinished_packsOnAnotherReplicaWhatOneStoredAndEachDayExactlyOnce() throws Exception {
    for (int i = 0; i < 40; i++) {
      store("dev-" + (i % 4), sample("s-" + i, T0.plusSeconds(i)));
    }
    store("dev-1", sample("today", Instant.parse("2026-05-05T01:00:00Z")));
    List<Callable<List<DatasetSummary>>> replicas = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      Captures replica = captures(new MemoryRegistry());
      replicas.add(() -> replica.packFinished(LocalDate.parse("2026-05-05")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<DatasetSummary> made = new ArrayList<>();
    try {
      for (Future<List<DatasetSummary>> done : pool.invokeAll(replicas)) {
        done.get().stream().filter(d -> d.reference().contains("/" + det + "/")).forEach(made::add);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(1, made.size(), made.toString());
    assertEquals(40, made.get(0).samples());
    assertEquals(List.of("dev-0", "dev-1", "dev-2", "dev-3"), made.get(0).devices());
    assertEquals(made, captures(registry).list(det, "1.0.0"));
  }

  @Test
  void pack_splitsABusyDayIntoPartsOfAtMostTheSampleLimit() {
    CaptureSample[] many = new CaptureSample[Captures.MAX_SAMPLES_PER_DATASET + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = sample("m-" + i, T0.plusMillis(i));
    }
    store("dev-1", many);

    List<DatasetSummary> made = captures(registry).pack(det, "1.0.0", DAY);

    assertEquals(List.of("1.0.0-2026-05-04", "1.0.0-2026-05-04-2"), names(made));
    assertEquals(
        List.of(Captures.MAX_SAMPLES_PER_DATASET, 1), made.stream().map(d -> d.samples()).toList());
  }

  @Test
  void expire_deletesTheDatasetsPastRetentionWithTheirSamplesAndNothingElse() {
    TestClock clock = new TestClock(T0);
    Captures captures = new Captures(db, registry, clock);
    store("dev-1", sample("a-1", T0));
    String old = captures.pack(det, "1.0.0", DAY).get(0).name();
    clock.set(T0.plus(Duration.ofDays(5)));
    store("dev-1", sample("a-2", T0.plusSeconds(9)));
    String recent = captures.pack(det, "1.0.0", DAY).get(0).name();
    clock.set(T0.plus(Duration.ofDays(7)));

    assertEquals(List.of(old), captures.expire(det, Duration.ofDays(7)));
    assertEquals(List.of(recent), names(captures.list(det, "1.0.0")));
    assertEquals(Set.of("models/" + det + "/captures:" + recent), registry.manifests.keySet());
    assertEquals(List.of(), captures.expire(det, Duration.ofDays(7)));
    assertEquals(List.of(), captures.expire("other", Duration.ofDays(7)));
    // the expired dataset's sample rows went with it; the recent one's stay (a resend is no-op)
    assertEquals(List.of(true, false), store("dev-1", sample("a-1", T0), sample("a-2", T0)));
    // numbering goes on after the highest part left, not the count of parts
    assertEquals(List.of("1.0.0-2026-05-04-3"), names(captures.pack(det, "1.0.0", DAY)));
  }

  @Test
  void list_refusesAVersionThatIsNoVersion() {
    var error =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.ferry.protocol.json.FieldException.class, () -> captures(registry).list(det, ".."));
    assertEquals("version must be a semantic version such as 1.4.0, got '..'", error.getMessage());
  }

  @Test
  void npy_writesAOneDimensionalShapeAsAOneTuple() {
    CapturedTensor tensor =
        new CapturedTensor("y", true, Datatype.INT64, List.of(2L), new byte[16]);
    String header = new String(NpyFile.of(tensor), 10, 118, StandardCharsets.US_ASCII);
    assertTrue(
        header.startsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }"), header);
    assertFalse(header.contains("fortran_order': True"));
  }

  private int bodies() {
    return db.transaction(
        c ->
            Jdbc.query(c, "SELECT COUNT(*) FROM capture_sample_body", row -> row.getInt(1)).get(0));
  }

  private List<Boolean> store(String device, CaptureSample... samples) {
    return store(null, device, samples);
  }

  /** Stores samples as captured under a policy; null for one not known. */
  private List<Boolean> store(PolicyRecord policy, String device, CaptureSample... samples) {
    return db.transaction(
        c -> {
          if (policy != null) {
            PolicyRecords.remember(c, policy);
          }
          List<Boolean> stored = new ArrayList<>();
          for (CaptureSample sample : samples) {
            Digest digest = policy == null ? null : policy.digest();
            stored.add(SampleRows.insert(c, device, sample, digest, T0));
          }
          return stored;
        });
  }

  private Map<String, String> annotations(DatasetSummary dataset) {
    byte[] manifest = registry.manifests.get("models/" + det + "/captures:" + dataset.name());
    return codec.decode(manifest, Manifest.class).annotations();
  }

  private Captures captures(ArtifactStore store) {
    return new Captures(db, store, Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC));
  }

  private static List<String> names(List<DatasetSummary> datasets) {
    return datasets.stream().map(DatasetSummary::name).toList();
  }

  private CaptureSample sample(String id, Instant at) {
    byte[] data = floats(1.5f, -2f, 3.25f);
    return new CaptureSample(
        id,
        det,
        "1.0.0",
        at,
        false,
        List.of(new CapturedTensor("x", false, Datatype.FP32, List.of(1L, 3L), data)));
  }

  private static byte[] floats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  /** A registry in memory: blobs by digest, manifests by repository:tag. */
  private static final class MemoryRegistry implements ArtifactStore {
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>();

    @Override
    public String registry() {
      return "hub:8080";
    }

    @Override
    public String repositoryOf(String model) {
      return "models/" + model;
    }

    @Override
    public void putBlob(String repository, Digest digest, Path file) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Digest putBlob(String repository, byte[] bytes) {
      blobs.put(Digest.of(bytes), bytes);
      return Digest.of(bytes);
    }

    @Override
    public Digest putManifest(String repository, String tag, String mediaType, byte[] bytes) {
      manifests.put(repository + ":" + tag, bytes);
      return Digest.of(bytes);
    }

    @Override
    public Digest putReferrer(String repository, Manifest referrer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void deleteManifest(String repository, String tag, Digest digest) {
      manifests.remove(repository + ":" + tag);
    }
  }
}
