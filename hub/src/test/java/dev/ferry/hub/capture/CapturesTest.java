package dev.ferry.hub.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.release.Datatype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapturesTest {
  private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
  private static final LocalDate DAY = LocalDate.parse("2026-05-04");

  @TempDir Path dir;
  private final MemoryRegistry registry = new MemoryRegistry();
  private final JsonCodec codec = new JsonCodec();

  @Test
  void pack_pushesADatasetWithAnIndexAndNpyTensorsAndListsIt() throws IOException {
    Captures captures = captures();
    captures.receive(
        "dev-1", new CaptureUpload(List.of(sample("a-1", T0), sample("a-2", T0.plusSeconds(60)))));
    captures.receive("dev-2", new CaptureUpload(List.of(sample("b-1", T0.plusSeconds(30)))));

    List<DatasetSummary> made =
        captures.pack("det", "1.0.0", DAY, CapturePolicy.sampling(0.01, 10, 1 << 20));

    assertEquals(1, made.size());
    DatasetSummary dataset = made.get(0);
    assertEquals("1.0.0-2026-05-04", dataset.name());
    assertEquals("hub:8080/models/det/captures:1.0.0-2026-05-04", dataset.reference());
    assertEquals(3, dataset.samples());
    assertEquals(List.of("dev-1", "dev-2"), dataset.devices());
    assertEquals(T0, dataset.from());
    assertEquals(T0.plusSeconds(60), dataset.to());
    assertEquals(List.of(dataset), captures.list("det", "1.0.0"));

    Manifest manifest =
        codec.decode(
            registry.manifests.get("models/det/captures:" + dataset.name()), Manifest.class);
    assertEquals(DatasetPush.ARTIFACT_TYPE, manifest.artifactType());
    assertEquals("det", manifest.annotations().get(DatasetPacker.MODEL));
    assertEquals("dev-1,dev-2", manifest.annotations().get(DatasetPacker.DEVICES));
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
  void receive_storesASampleOnceAcrossResendsBeforeAndAfterPacking() throws IOException {
    Captures captures = captures();
    CaptureUpload upload = new CaptureUpload(List.of(sample("a-1", T0)));
    assertEquals(List.of("a-1"), captures.receive("dev-1", upload).stored());
    assertEquals(List.of("a-1"), captures.receive("dev-1", upload).stored());
    assertEquals(1, captures.pack("det", "1.0.0", DAY, null).get(0).samples());
    captures.receive("dev-1", upload);
    assertEquals(List.of(), captures.pack("det", "1.0.0", DAY, null));
    // the same id from another device is another sample
    captures.receive("dev-2", upload);
    DatasetSummary second = captures.pack("det", "1.0.0", DAY, null).get(0);
    assertEquals("1.0.0-2026-05-04-2", second.name());
    assertEquals(2, captures.list("det", "1.0.0").size());
  }

  @Test
  void expire_deletesTheDatasetsPastRetentionAndNothingElse() throws IOException {
    MutableClock clock = new MutableClock(T0);
    Captures captures = new Captures(dir, registry, clock);
    captures.receive("dev-1", new CaptureUpload(List.of(sample("a-1", T0))));
    String old = captures.pack("det", "1.0.0", DAY, null).get(0).name();
    clock.now = T0.plus(java.time.Duration.ofDays(5));
    captures.receive("dev-1", new CaptureUpload(List.of(sample("a-2", T0.plusSeconds(9)))));
    String recent = captures.pack("det", "1.0.0", DAY, null).get(0).name();
    clock.now = T0.plus(java.time.Duration.ofDays(7));

    assertEquals(List.of(old), captures.expire("det", java.time.Duration.ofDays(7)));
    assertEquals(
        List.of(recent), captures.list("det", "1.0.0").stream().map(d -> d.name()).toList());
    assertEquals(java.util.Set.of("models/det/captures:" + recent), registry.manifests.keySet());
    assertEquals(List.of(), captures.expire("det", java.time.Duration.ofDays(7)));
    assertEquals(List.of(), captures.expire("other", java.time.Duration.ofDays(7)));
  }

  @Test
  void receive_refusesAMalformedUploadWithItsReasonAndKeepsWhatWasStored() throws IOException {
    Captures captures = captures();
    captures.receive("dev-1", new CaptureUpload(List.of(sample("a-1", T0))));
    String shortData =
        new String(
                codec.encode(new CaptureUpload(List.of(sample("a-2", T0)))), StandardCharsets.UTF_8)
            .replace(Base64.getEncoder().encodeToString(floats(1.5f, -2f, 3.25f)), "AAAA");
    var error =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.ferry.protocol.json.MalformedMessageException.class,
            () -> codec.decode(shortData.getBytes(StandardCharsets.UTF_8), CaptureUpload.class));
    assertEquals(
        "ferry.capture/v1: samples[0].tensors[0].data must hold 12 bytes for FP32[1, 3], got 3",
        error.getMessage());
    assertEquals(1, captures.pack("det", "1.0.0", DAY, null).get(0).samples());
  }

  @Test
  void npy_writesAOneDimensionalShapeAsAOneTuple() {
    CapturedTensor tensor =
        new CapturedTensor(
            "y",
            true,
            Datatype.INT64,
            List.of(2L),
            Base64.getEncoder().encodeToString(new byte[16]));
    String header = new String(NpyFile.of(tensor), 10, 118, StandardCharsets.US_ASCII);
    assertTrue(
        header.startsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }"), header);
  }

  @Test
  void list_refusesAVersionThatWouldLeaveTheCaptureFolder() {
    var error =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.ferry.protocol.json.FieldException.class, () -> captures().list("det", ".."));
    assertEquals("version must be a semantic version such as 1.4.0, got '..'", error.getMessage());
  }

  private Captures captures() {
    return new Captures(dir, registry, Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC));
  }

  private static CaptureSample sample(String id, Instant at) {
    String data = Base64.getEncoder().encodeToString(floats(1.5f, -2f, 3.25f));
    return new CaptureSample(
        id,
        "det",
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
    final Map<Digest, byte[]> blobs = new HashMap<>();
    final Map<String, byte[]> manifests = new HashMap<>();

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

  /** A clock the test sets. */
  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
