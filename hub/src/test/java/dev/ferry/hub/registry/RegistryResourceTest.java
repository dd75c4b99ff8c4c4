package dev.ferry.hub.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.broker.Enrolled;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.BlobPull;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.RawManifest;
import dev.ferry.protocol.registry.RegistryClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@TestProfile(HubTestProfile.class)
class RegistryResourceTest {
  private static final AtomicInteger REPOSITORIES = new AtomicInteger();
  private static final int MODEL_SIZE = 3 * 1024 * 1024 + 17;

  @Inject BlobStore store;

  @TestHTTPResource("/")
  URL root;

  @TempDir Path dir;
  private RegistryClient client;
  private String repository;
  private Artifacts.Stored model;

  @BeforeEach
  void publish() throws IOException {
    Enrolled device = Enrolled.device("puller-" + System.nanoTime());
    client =
        RegistryClient.builder("127.0.0.1:" + root.getPort())
            .plainHttp(true)
            .credentials(Credentials.basic(device.id(), device.password()))
            .build();
    repository = "models/resnet-" + REPOSITORIES.incrementAndGet();
    model = Artifacts.model(store, repository, "1.0.0", MODEL_SIZE, 7);
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void base_answersAnEmptyObjectWithTheApiVersion() {
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/")
        .then()
        .statusCode(200)
        .header("Docker-Distribution-API-Version", "registry/2.0")
        .body(equalTo("{}"));
  }

  @Test
  void getManifest_byTagAndByDigestGivesTheStoredBytes() throws IOException {
    RawManifest byTag = client.getManifest(repository, "1.0.0");
    RawManifest byDigest = client.getManifest(repository, model.digest().toString());

    assertArrayEquals(model.bytes(), byTag.bytes());
    assertArrayEquals(model.bytes(), byDigest.bytes());
    assertEquals(model.digest(), byTag.digest());
    assertEquals(MediaTypes.OCI_MANIFEST, byTag.mediaType());
  }

  @Test
  void headManifest_givesTypeDigestAndLength() {
    given()
        .auth()
        .oauth2(Api.admin())
        .head("/v2/" + repository + "/manifests/1.0.0")
        .then()
        .statusCode(200)
        .header("Content-Type", MediaTypes.OCI_MANIFEST)
        .header("Docker-Content-Digest", model.digest().toString())
        .header("Content-Length", String.valueOf(model.bytes().length));
  }

  @Test
  void pullBlob_fetchesTheWholeBlob() throws IOException {
    Path target = dir.resolve("model.onnx");

    BlobPull pull = client.pullBlob(repository, model.model(), target, n -> {});

    assertEquals(new BlobPull(0, MODEL_SIZE), pull);
    assertArrayEquals(model.modelBytes(), Files.readAllBytes(target));
    assertEquals(java.util.Optional.of((long) MODEL_SIZE), client.blobSize(repository, digest()));
  }

  @Test
  void pullBlob_resumesAPartialFileWithRange() throws IOException {
    Path target = dir.resolve("model.onnx");
    int partial = MODEL_SIZE / 3;
    Files.write(dir.resolve("model.onnx.part"), Arrays.copyOf(model.modelBytes(), partial));

    BlobPull pull = client.pullBlob(repository, model.model(), target, n -> {});

    assertEquals(new BlobPull(partial, MODEL_SIZE - partial), pull);
    assertArrayEquals(model.modelBytes(), Files.readAllBytes(target));
    assertFalse(Files.exists(dir.resolve("model.onnx.part")));
  }

  @Test
  void getBlob_answersABoundedRangeWithContentRange() {
    byte[] body =
        given()
            .auth()
            .oauth2(Api.admin())
            .header("Range", "bytes=10-19")
            .get("/v2/" + repository + "/blobs/" + digest())
            .then()
            .statusCode(206)
            .header("Content-Range", "bytes 10-19/" + MODEL_SIZE)
            .header("Content-Length", "10")
            .extract()
            .asByteArray();
    assertArrayEquals(Arrays.copyOfRange(model.modelBytes(), 10, 20), body);
  }

  @Test
  void referrers_listsTheSignatureOfAManifest() throws IOException {
    Digest signature = Artifacts.signature(store, repository, model);

    List<Descriptor> signatures =
        client.referrers(repository, model.digest(), MediaTypes.DSSE_ENVELOPE);

    assertEquals(List.of(signature), signatures.stream().map(Descriptor::digest).toList());
    assertEquals(MediaTypes.DSSE_ENVELOPE, signatures.get(0).artifactType());
    assertEquals(List.of(), client.referrers(repository, model.digest(), "application/other"));
    given()
        .auth()
        .oauth2(Api.admin())
        .queryParam("artifactType", MediaTypes.DSSE_ENVELOPE)
        .get("/v2/" + repository + "/referrers/" + model.digest())
        .then()
        .statusCode(200)
        .header("Content-Type", MediaTypes.OCI_INDEX)
        .header("OCI-Filters-Applied", "artifactType")
        .body("manifests[0].digest", equalTo(signature.toString()));
  }

  @Test
  void referrers_ofAnUnknownSubjectIsAnEmptyIndex() {
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/" + repository + "/referrers/" + Digest.of(new byte[] {1}))
        .then()
        .statusCode(200)
        .header("OCI-Filters-Applied", nullValue())
        .body(equalTo("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"}"));
  }

  @Test
  void getManifest_ofAnUnknownTagIs404ManifestUnknown() {
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/" + repository + "/manifests/9.9.9")
        .then()
        .statusCode(404)
        .header("Content-Type", "application/json")
        .body(
            equalTo(
                "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"repository '"
                    + repository
                    + "' has no manifest '9.9.9'\",\"detail\":{\"name\":\""
                    + repository
                    + "\",\"reference\":\"9.9.9\"}}]}"));
  }

  @Test
  void getBlob_withAMalformedDigestIs400DigestInvalid() {
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/" + repository + "/blobs/sha256:XYZ")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("DIGEST_INVALID"))
        .body(
            "errors[0].message",
            equalTo("not a sha256 digest (sha256:<64 lowercase hex>): 'sha256:XYZ'"));
  }

  @Test
  void getBlob_rangePastTheEndIs416WithTheSize() throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(root + "v2/" + repository + "/blobs/" + digest()))
                    .header("Range", "bytes=" + MODEL_SIZE + "-")
                    .header("Authorization", "Bearer " + Api.admin())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertEquals(416, response.statusCode());
    assertEquals(
        "bytes */" + MODEL_SIZE, response.headers().firstValue("Content-Range").orElseThrow());
    assertEquals(
        response.body().length,
        response.headers().firstValueAsLong("Content-Length").orElseThrow());
    assertEquals(
        "{\"errors\":[{\"code\":\"RANGE_INVALID\",\"message\":\"range 'bytes="
            + MODEL_SIZE
            + "-' is outside the blob of "
            + MODEL_SIZE
            + " bytes\",\"detail\":{\"range\":\"bytes="
            + MODEL_SIZE
            + "-\",\"size\":\""
            + MODEL_SIZE
            + "\"}}]}",
        new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void getBlob_ofAnotherRepositoryIs404BlobUnknown() throws IOException {
    String other = repository + "-other";
    store.putBlob(other, MediaTypes.OCI_EMPTY, Artifacts.utf8("{}"));
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/" + other + "/blobs/" + digest())
        .then()
        .statusCode(404)
        .body("errors[0].code", equalTo("BLOB_UNKNOWN"))
        .body("errors[0].message", equalTo("repository '" + other + "' has no blob " + digest()));
  }

  @Test
  void names_invalidAre400AndUnknownAre404() {
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/Models/A/manifests/1.0.0")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("NAME_INVALID"));
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/models/none/manifests/1.0.0")
        .then()
        .statusCode(404)
        .body("errors[0].code", equalTo("NAME_UNKNOWN"))
        .body("errors[0].message", equalTo("no repository 'models/none'"));
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/Models/A/blobs/sha256:XYZ")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("NAME_INVALID"));
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/" + repository + "/manifests/bad!tag")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("TAG_INVALID"));
  }

  @Test
  void unknownEndpoints_are404() {
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/v2/" + repository + "/tags/other")
        .then()
        .statusCode(404)
        .body("errors[0].code", equalTo("NOT_FOUND"))
        .body(
            "errors[0].message",
            equalTo("no registry endpoint '/v2/" + repository + "/tags/other'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT", "POST", "PATCH", "DELETE"})
  void writes_areUnsupported(String method) {
    given()
        .auth()
        .oauth2(Api.admin())
        .body("{}")
        .request(method, "/v2/" + repository + "/manifests/1.0.0")
        .then()
        .statusCode(405)
        .header("Allow", "GET, HEAD")
        .body("errors[0].code", equalTo("UNSUPPORTED"))
        .body(
            "errors[0].message",
            equalTo(method + " is not supported: the hub's registry serves pulls only"));
  }

  private Digest digest() {
    return model.model().digest();
  }
}
