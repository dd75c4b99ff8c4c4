package dev.ferry.hub.packaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.broker.Enrolled;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.ReleaseVariant;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.OnnxModels;
import dev.ferry.protocol.testing.Services;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing a release with several variants: an index of ModelPack manifests, signed. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class PublishVariantsTest {
  private static final JsonCodec CODEC = new JsonCodec();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FP32 = "name=fp32-cpu,providers=CPU,precision=FP32";
  private static final String FP16 = "name=fp16-cuda,providers=CUDA;TENSORRT,precision=FP16";
  private static Path models;

  @TestHTTPResource("/")
  URL hub;

  @BeforeAll
  static void models() throws Exception {
    models = Files.createTempDirectory("ferry-variants");
    OnnxModels.matMulAdd(models.resolve("fp32.onnx"), "x", 1, 4, 2, 7);
    OnnxModels.matMulAddHalf(models.resolve("fp16.onnx"), "x", 1, 4, 2, 7);
    OnnxModels.matMulAdd(models.resolve("wider.onnx"), "x", 1, 4, 3, 7);
  }

  private static String model() {
    return "v" + Long.toHexString(System.nanoTime());
  }

  private static RequestSpecification request() {
    return given().auth().oauth2(Api.token("release-manager")).multiPart("version", "1.0.0");
  }

  private static RequestSpecification variant(
      RequestSpecification request, String name, String spec, String file) {
    return request
        .multiPart("variant", spec)
        .multiPart("variant." + name + ".model", models.resolve(file).toFile());
  }

  private static ValidatableResponse post(RequestSpecification request, String name) {
    return request.post("/api/v1/models/" + name + "/versions").then().log().ifValidationFails();
  }

  private static ValidatableResponse publishTwo(String name) {
    RequestSpecification request = variant(request(), "fp32-cpu", FP32, "fp32.onnx");
    return post(variant(request, "fp16-cuda", FP16, "fp16.onnx"), name);
  }

  @Test
  void publish_packagesAnIndexOfModelPackManifestsAndSignsEveryVariant() throws Exception {
    String name = model();
    String body =
        publishTwo(name)
            .statusCode(201)
            .body("variants.size()", equalTo(2))
            .body("variants[0].name", equalTo("fp32-cpu"))
            .body("variants[0].goldenCheck", equalTo("AT_PUBLISH"))
            .body("variants[1].name", equalTo("fp16-cuda"))
            .body("variants[1].providers", equalTo(List.of("CUDA", "TENSORRT")))
            .body("variants[1].precision", equalTo("FP16"))
            .body("variants[1].goldenCheck", equalTo("ON_DEVICE"))
            .extract()
            .asString();
    JsonNode release = JSON.readTree(body);
    Digest indexDigest = Digest.parse(release.get("manifestDigest").asText());
    ReleasePredicate predicate = verifiedPredicate(release, indexDigest);
    assertEquals(2, predicate.variants().size());
    try (RegistryClient registry = puller()) {
      var raw = registry.getManifest("models/" + name, "1.0.0");
      assertEquals(indexDigest, raw.digest());
      Index index = CODEC.decode(raw.bytes(), Index.class);
      assertEquals(MediaTypes.MODEL_ARTIFACT, index.artifactType());
      assertEquals(2, index.manifests().size());
      for (int i = 0; i < 2; i++) {
        checkVariant(registry, name, index, predicate.variants().get(i));
      }
      assertEquals(
          1, registry.referrers("models/" + name, indexDigest, MediaTypes.DSSE_ENVELOPE).size());
      GoldenVectors fp32 = golden(registry, name, predicate.variants().get(0));
      GoldenVectors fp16 = golden(registry, name, predicate.variants().get(1));
      assertEquals(fp32.cases(), fp16.cases());
      // packaged raw: each tensor's little-endian bytes, not JSON numbers
      assertNull(fp32.cases().get(0).outputs().get(0).data());
      assertEquals(PrecisionTolerance.HALF, fp16.tolerance("y"));
    }
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .get("/api/v1/models/" + name + "/versions/1.0.0")
        .then()
        .statusCode(200)
        .body("variants[1].goldenCheck", equalTo("ON_DEVICE"));
  }

  @Test
  void embeddedRegistry_servesTheIndexAndEveryVariantToSkopeo(@TempDir Path dir) throws Exception {
    String name = model();
    String digest = publishTwo(name).statusCode(201).extract().path("manifestDigest");
    Enrolled device = Enrolled.device("skopeo-v-" + System.nanoTime());
    String reference = "docker://127.0.0.1:" + hub.getPort() + "/models/" + name + ":1.0.0";
    String creds = device.id() + ":" + device.password();
    String raw =
        Services.exec(
                "skopeo", "inspect", "--creds", creds, "--tls-verify=false", "--raw", reference)
            .strip();
    assertEquals(digest, Digest.of(raw.getBytes(StandardCharsets.UTF_8)).toString());
    JsonNode index = JSON.readTree(raw);
    assertEquals(MediaTypes.OCI_INDEX, index.get("mediaType").asText());
    assertEquals("fp16-cuda", index.at("/manifests/1/annotations/dev.ferry.variant.name").asText());
    Path layout = dir.resolve("layout");
    Services.exec(
        "skopeo",
        "copy",
        "--all",
        "--src-creds",
        creds,
        "--src-tls-verify=false",
        reference,
        "oci:" + layout + ":1.0.0");
    // skopeo writes the index again (its digest may change); every variant's manifest, and so
    // every layer it names, is copied byte for byte
    JsonNode top = JSON.readTree(layout.resolve("index.json").toFile());
    assertEquals(MediaTypes.OCI_INDEX, top.at("/manifests/0/mediaType").asText());
    String copiedHex = top.at("/manifests/0/digest").asText().substring("sha256:".length());
    JsonNode copied = JSON.readTree(layout.resolve("blobs/sha256/" + copiedHex).toFile());
    assertEquals(index.get("manifests").size(), copied.get("manifests").size());
    for (JsonNode entry : index.get("manifests")) {
      String hex = entry.get("digest").asText().substring("sha256:".length());
      byte[] manifest = Files.readAllBytes(layout.resolve("blobs/sha256/" + hex));
      assertEquals(entry.get("digest").asText(), Digest.of(manifest).toString());
      for (JsonNode layer : JSON.readTree(manifest).get("layers")) {
        String layerHex = layer.get("digest").asText().substring("sha256:".length());
        assertTrue(Files.exists(layout.resolve("blobs/sha256/" + layerHex)), layerHex);
      }
    }
  }

  @Test
  void publish_refusesVariantsWhoseOutputsDiffer() {
    String name = model();
    RequestSpecification request = variant(request(), "fp32-cpu", FP32, "fp32.onnx");
    post(variant(request, "wide", "name=wide,precision=FP32", "wider.onnx"), name)
        .statusCode(422)
        .body("code", equalTo("UNPROCESSABLE"))
        .body("details.field", equalTo("variant"));
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .get("/api/v1/models/" + name + "/versions/1.0.0")
        .then()
        .statusCode(404);
  }

  @Test
  void publish_refusesVariantsThatChangeTheInterfaceOfTheirMajor() {
    String name = model();
    publishTwo(name).statusCode(201);
    RequestSpecification next =
        given().auth().oauth2(Api.token("release-manager")).multiPart("version", "1.1.0");
    post(variant(next, "wide", "name=wide,precision=FP32", "wider.onnx"), name)
        .statusCode(409)
        .body("details.comparedWith", equalTo("1.0.0"))
        .body("details.changes", equalTo(List.of("output 'y' has shape [1, 3], was [1, 2]")));
    RequestSpecification major =
        given().auth().oauth2(Api.token("release-manager")).multiPart("version", "2.0.0");
    post(variant(major, "wide", "name=wide,precision=FP32", "wider.onnx"), name).statusCode(201);
  }

  @Test
  void publish_refusesAVariantWithoutItsFile() {
    post(request().multiPart("variant", FP16), model())
        .statusCode(400)
        .body(
            "message",
            equalTo(
                "variant 'fp16-cuda' has no file: send it as the multipart field"
                    + " 'variant.fp16-cuda.model'"));
  }

  @Test
  void publish_refusesAFileOfNoVariant() {
    RequestSpecification request = variant(request(), "fp32-cpu", FP32, "fp32.onnx");
    post(request.multiPart("variant.other.model", models.resolve("fp16.onnx").toFile()), model())
        .statusCode(400)
        .body("message", equalTo("file field 'variant.other.model' belongs to no variant field"));
  }

  @Test
  void publish_refusesAModelAndVariantsTogether() {
    RequestSpecification request = variant(request(), "fp32-cpu", FP32, "fp32.onnx");
    post(request.multiPart("model", models.resolve("fp32.onnx").toFile()), model())
        .statusCode(400)
        .body(
            "message",
            equalTo("send either 'model' or 'variant' fields with their files, not both"));
  }

  private static void checkVariant(
      RegistryClient registry, String name, Index index, ReleaseVariant variant) throws Exception {
    var entry = index.manifest(variant.manifestDigest());
    assertEquals(variant.name(), entry.annotations().get(Annotations.VARIANT_NAME));
    assertEquals(
        variant.precision().name(), entry.annotations().get(Annotations.VARIANT_PRECISION));
    Manifest manifest = manifest(registry, name, variant);
    assertEquals(MediaTypes.MODEL_ARTIFACT, manifest.artifactType());
    assertEquals(variant.servingDigest(), manifest.layerAt("serving.json").digest());
    assertEquals(variant.goldenDigest(), manifest.layerAt("golden.json").digest());
    ServingSpec serving =
        CODEC.decode(blob(registry, name, manifest.layerAt("serving.json")), ServingSpec.class);
    assertEquals(variant.providers(), serving.executionProviders());
  }

  private static Manifest manifest(RegistryClient registry, String name, ReleaseVariant variant)
      throws Exception {
    return CODEC.decode(
        registry.getManifest("models/" + name, variant.manifestDigest().toString()).bytes(),
        Manifest.class);
  }

  private static GoldenVectors golden(RegistryClient registry, String name, ReleaseVariant v)
      throws Exception {
    Descriptor layer = manifest(registry, name, v).layerAt("golden.json");
    return CODEC.decode(blob(registry, name, layer), GoldenVectors.class);
  }

  private static byte[] blob(RegistryClient registry, String name, Descriptor layer)
      throws Exception {
    Path file = Files.createTempFile("blob", ".json");
    Files.delete(file);
    registry.pullBlob("models/" + name, layer, file, n -> {});
    return Files.readAllBytes(file);
  }

  private static ReleasePredicate verifiedPredicate(JsonNode release, Digest indexDigest) {
    Envelope statement =
        CODEC.decode(
            release.get("statement").toString().getBytes(StandardCharsets.UTF_8), Envelope.class);
    String json = given().get("/api/v1/trust/root").then().statusCode(200).extract().asString();
    Envelope root = CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class);
    TrustRoot trust = CODEC.decode(root.payloadBytes(), TrustRoot.class);
    byte[] payload = trust.verifier(Role.RELEASE).verify(statement, PayloadTypes.IN_TOTO);
    ReleaseStatement decoded = CODEC.decode(payload, ReleaseStatement.class);
    assertEquals(indexDigest, decoded.manifestDigest());
    return decoded.predicate();
  }

  private RegistryClient puller() {
    Enrolled device = Enrolled.device("puller-v-" + System.nanoTime());
    return RegistryClient.builder("127.0.0.1:" + hub.getPort())
        .plainHttp(true)
        .credentials(Credentials.basic(device.id(), device.password()))
        .build();
  }
}
