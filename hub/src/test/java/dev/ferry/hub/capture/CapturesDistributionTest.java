package dev.ferry.hub.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.DistributionProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.release.Datatype;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Datasets in the real CNCF Distribution registry (deletion enabled, as services.sh runs it). */
@QuarkusTest
@TestProfile(DistributionProfile.class)
class CapturesDistributionTest {
  private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

  @Inject Database db;
  @Inject ArtifactStore store;

  @Test
  void expire_deletesTheManifestThroughTheRegistryApiAndOneGoneAlreadyIsNoError() throws Exception {
    String model = "cap-" + System.nanoTime();
    db.transaction(c -> SampleRows.insert(c, "dev-1", sample(model), null, T0));
    DatasetSummary dataset =
        captures(T0.plus(Duration.ofDays(1)))
            .pack(model, "1.0.0", LocalDate.parse("2026-05-04"))
            .get(0);
    String manifest = manifestUrl(dataset);
    assertEquals(200, status(manifest));

    assertEquals(
        List.of(dataset.name()),
        captures(T0.plus(Duration.ofDays(40))).expire(model, Duration.ofDays(30)));

    assertEquals(404, status(manifest));
    store.deleteManifest(
        store.repositoryOf(model) + "/captures", dataset.name(), Digest.parse(dataset.digest()));
  }

  private Captures captures(Instant now) {
    return new Captures(db, store, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static String manifestUrl(DatasetSummary dataset) {
    String reference = dataset.reference();
    String repository = reference.substring(reference.indexOf('/') + 1, reference.lastIndexOf(':'));
    return "http://"
        + DistributionProfile.registry()
        + "/v2/"
        + repository
        + "/manifests/"
        + dataset.digest();
  }

  private static int status(String url) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", MediaTypes.OCI_MANIFEST).build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static CaptureSample sample(String model) {
    return new CaptureSample(
        "a-1",
        model,
        "1.0.0",
        T0,
        false,
        List.of(new CapturedTensor("x", false, Datatype.FP32, List.of(1L, 1L), new byte[4])));
  }
}
