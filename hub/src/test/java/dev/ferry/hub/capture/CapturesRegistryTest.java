package dev.ferry.hub.capture;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.release.Datatype;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Retention in the embedded registry, seen through its pull API as skopeo sees it. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class CapturesRegistryTest {
  // today, so that the hub's own hourly retention (real clock) never takes these datasets
  private static final Instant T0 =
      LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(8 * 3600);
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Database db;
  @Inject ArtifactStore store;

  @Test
  void expire_deletesTheDatasetAndItsOwnBlobsAndKeepsWhatAnotherDatasetShares() throws Exception {
    String model = "keep-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    String repository = "models/" + model + "/captures";
    // the same tensor bytes in both datasets: one blob, held by both manifests
    store(sample(model, "a-1", T0, 1f), sample(model, "a-2", T0.plusSeconds(1), 2f));
    DatasetSummary old = captures(T0.plus(Duration.ofDays(1))).pack(model, "1.0.0", day()).get(0);
    store(sample(model, "b-1", T0.plusSeconds(2), 1f));
    DatasetSummary recent =
        captures(T0.plus(Duration.ofDays(10))).pack(model, "1.0.0", day()).get(0);
    Manifest expired = pull(repository, old.name());
    Manifest kept = pull(repository, recent.name());
    Set<Digest> shared = digests(expired);
    shared.retainAll(digests(kept));
    Set<Digest> own = digests(expired);
    own.removeAll(shared);
    assertEquals(2, shared.size(), "the empty config and the tensor of 1.0: " + shared);
    assertEquals(2, own.size(), "the index and the tensor of 2.0: " + own);

    assertEquals(
        List.of(old.name()),
        captures(T0.plus(Duration.ofDays(31))).expire(model, Duration.ofDays(30)));

    manifest(repository, old.name()).statusCode(404);
    manifest(repository, old.digest()).statusCode(404);
    for (Digest digest : own) {
      blob(repository, digest).statusCode(404);
      assertEquals(false, Files.exists(blobFile(digest)), digest.toString());
    }
    assertEquals(kept, pull(repository, recent.name()));
    for (Descriptor layer : layers(kept)) {
      byte[] bytes = blob(repository, layer.digest()).statusCode(200).extract().asByteArray();
      assertEquals(layer.digest(), Digest.of(bytes));
    }
  }

  private static Set<Digest> digests(Manifest manifest) {
    Set<Digest> digests = new HashSet<>();
    layers(manifest).forEach(d -> digests.add(d.digest()));
    return digests;
  }

  private static List<Descriptor> layers(Manifest manifest) {
    List<Descriptor> all = new java.util.ArrayList<>(manifest.layers());
    all.add(manifest.config());
    return all;
  }

  private static Manifest pull(String repository, String reference) {
    byte[] bytes = manifest(repository, reference).statusCode(200).extract().asByteArray();
    return CODEC.decode(bytes, Manifest.class);
  }

  private static io.restassured.response.ValidatableResponse manifest(
      String repository, String reference) {
    return given()
        .auth()
        .oauth2(Api.admin())
        .accept(MediaTypes.OCI_MANIFEST)
        .get("/v2/" + repository + "/manifests/" + reference)
        .then();
  }

  private static io.restassured.response.ValidatableResponse blob(
      String repository, Digest digest) {
    return given().auth().oauth2(Api.admin()).get("/v2/" + repository + "/blobs/" + digest).then();
  }

  private static Path blobFile(Digest digest) {
    return HubTestProfile.dataDir().resolve("registry/blobs/sha256/" + digest.hex());
  }

  private void store(CaptureSample... samples) {
    db.transaction(
        c -> {
          for (CaptureSample sample : samples) {
            SampleRows.insert(c, "dev-1", sample, null, T0);
          }
          return null;
        });
  }

  private Captures captures(Instant now) {
    return new Captures(db, store, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static LocalDate day() {
    return LocalDate.ofInstant(T0, ZoneOffset.UTC);
  }

  private static CaptureSample sample(String model, String id, Instant at, float value) {
    byte[] data =
        java.nio.ByteBuffer.allocate(4)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putFloat(value)
            .array();
    return new CaptureSample(
        id,
        model,
        "1.0.0",
        at,
        false,
        List.of(new CapturedTensor("x", false, Datatype.FP32, List.of(1L, 1L), data)));
  }
}
