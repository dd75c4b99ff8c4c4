package dev.ferry.hub.packaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.LogRecords;
import dev.ferry.hub.broker.Enrolled;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.NotFoundException;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.OnnxModels;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publishing through the API onto the embedded registry and database. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class PublishTest {
  private static final JsonCodec CODEC = new JsonCodec();
  private static Path models;
  private static String releaseManager;

  @TestHTTPResource("/")
  URL hub;

  @BeforeAll
  static void models() throws Exception {
    models = Files.createTempDirectory("ferry-models");
    OnnxModels.matMulAdd(models.resolve("fixed.onnx"), "x", 1, 4, 2, 7);
    OnnxModels.matMulAdd(models.resolve("dynamic.onnx"), "x", OnnxModels.DYNAMIC, 4, 2, 8);
    Files.writeString(models.resolve("not.onnx"), "this is not a model");
    OnnxModels.externalData(models.resolve("external.onnx"), "admin.token", false);
  }

  @org.junit.jupiter.api.BeforeEach
  void releaseManager() {
    if (releaseManager == null) {
      releaseManager = Api.token("release-manager");
    }
  }

  private static String model() {
    return "m" + Long.toHexString(System.nanoTime());
  }

  private ValidatableResponse publish(String name, String version, String file, String... fields) {
    var request =
        given()
            .auth()
            .oauth2(releaseManager)
            .multiPart("model", models.resolve(file).toFile())
            .multiPart("version", version);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i].equals("golden")) {
        request =
            request.multiPart(
                "golden",
                "golden.json",
                fields[i + 1].getBytes(StandardCharsets.UTF_8),
                "application/json");
      } else {
        request = request.multiPart(fields[i], fields[i + 1]);
      }
    }
    return request.post("/api/v1/models/" + name + "/versions").then().log().ifValidationFails();
  }

  @Test
  void publish_refusesAModelWithExternalDataBeforeOnnxRuntimeOpensIt() {
    // before: ONNX Runtime opened it and read a file beside the upload into the golden outputs
    publish(model(), "1.0.0", "external.onnx")
        .statusCode(400)
        .body("code", equalTo("INVALID_REQUEST"))
        .body(
            "message",
            equalTo(
                "tensor 'W' keeps its data outside the model (external_data); publish a model"
                    + " with every tensor's data inside the .onnx file"));
  }

  @Test
  void publish_writesTheSessionHintsIntoServingJson() {
    publish(
            model(),
            "1.0.0",
            "fixed.onnx",
            "sessionHints",
            "{\"intraOpThreads\":2,\"graphOptimization\":\"EXTENDED\","
                + "\"providerOptions\":{\"CUDA\":{\"cudnn_conv_algo_search\":\"HEURISTIC\"}}}")
        .statusCode(201)
        .body("serving.sessionHints.intraOpThreads", equalTo(2))
        .body("serving.sessionHints.graphOptimization", equalTo("EXTENDED"))
        .body(
            "serving.sessionHints.providerOptions.CUDA.cudnn_conv_algo_search",
            equalTo("HEURISTIC"));
  }

  @Test
  void publish_refusesABrokenSessionHintNamingFieldAndValue() {
    publish(model(), "1.0.0", "fixed.onnx", "sessionHints", "{\"intraOpThreads\":999}")
        .statusCode(400)
        .body("code", equalTo("INVALID_REQUEST"))
        .body("message", equalTo("sessionHints: intraOpThreads must be 0..256, got 999"))
        .body("details.field", equalTo("sessionHints"));
  }

  @Test
  void publish_signsAndStoresAModelPackArtifact() throws Exception {
    String name = model();
    String body =
        publish(
                name,
                "1.0.0",
                "fixed.onnx",
                "license",
                "Apache-2.0",
                "executionProviders",
                "CUDA,CPU")
            .statusCode(201)
            .body("name", equalTo(name))
            .body("version", equalTo("1.0.0"))
            .body("releaseSeq", equalTo(1))
            .body("repository", equalTo("127.0.0.1:" + hub.getPort() + "/models/" + name))
            .body("serving.inputs[0].name", equalTo("x"))
            .body("serving.inputs[0].datatype", equalTo("FP32"))
            .body("serving.executionProviders", equalTo(java.util.List.of("CUDA", "CPU")))
            .body("statement.payloadType", equalTo(PayloadTypes.IN_TOTO))
            .extract()
            .asString();
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    Envelope statement =
        CODEC.decode(
            tree.get("statement").toString().getBytes(StandardCharsets.UTF_8), Envelope.class);
    Digest manifestDigest = Digest.parse(tree.get("manifestDigest").asText());

    TrustRoot root = trustRoot();
    byte[] payload = root.verifier(Role.RELEASE).verify(statement, PayloadTypes.IN_TOTO);
    ReleaseStatement decoded = CODEC.decode(payload, ReleaseStatement.class);
    assertEquals(manifestDigest, decoded.manifestDigest());
    assertEquals(1, decoded.predicate().releaseSeq());

    try (RegistryClient registry = puller(hub)) {
      var raw = registry.getManifest("models/" + name, "1.0.0");
      assertEquals(manifestDigest, raw.digest());
      Manifest manifest = CODEC.decode(raw.bytes(), Manifest.class);
      assertEquals(MediaTypes.MODEL_ARTIFACT, manifest.artifactType());
      assertEquals(decoded.predicate().servingDigest(), manifest.layerAt("serving.json").digest());
      assertEquals(decoded.predicate().goldenDigest(), manifest.layerAt("golden.json").digest());
      assertEquals(Files.size(models.resolve("fixed.onnx")), manifest.layerAt("model.onnx").size());
      assertEquals(
          1, registry.referrers("models/" + name, manifestDigest, MediaTypes.DSSE_ENVELOPE).size());
    }
  }

  @Test
  void embeddedRegistry_servesAnArtifactIntactToSkopeoWithASignatureOpensslVerifies(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Enrolled device = Enrolled.device("skopeo-" + System.nanoTime());
    ArtifactChecks.publishAndCheck(
        dir, "127.0.0.1:" + hub.getPort() + "/models/", device.id() + ":" + device.password());
  }

  @Test
  void publish_growsTheReleaseSequenceAndRefusesARepeatedVersion() {
    String name = model();
    publish(name, "1.0.0", "fixed.onnx").statusCode(201).body("releaseSeq", equalTo(1));
    publish(name, "1.1.0", "fixed.onnx").statusCode(201).body("releaseSeq", equalTo(2));
    publish(name, "1.1.0", "fixed.onnx")
        .statusCode(409)
        .body("code", equalTo("CONFLICT"))
        .body("message", equalTo("model '" + name + "' already has version '1.1.0'"));
    given()
        .auth()
        .oauth2(releaseManager)
        .get("/api/v1/models/" + name)
        .then()
        .statusCode(200)
        .body("releases.size()", equalTo(2));
  }

  @Test
  void publish_refusesAnInterfaceChangeWithinAMajor_butNotInTheNextOrWhenAllowed() {
    String name = model();
    publish(name, "1.0.0", "fixed.onnx").statusCode(201);
    // before: accepted silently, and the clients of 1.x found out from their errors
    publish(name, "1.1.0", "dynamic.onnx")
        .statusCode(409)
        .body("code", equalTo("CONFLICT"))
        .body(
            "message",
            equalTo(
                "model '"
                    + name
                    + "' 1.1.0 changes the interface of 1.0.0, which clients of 1.x rely on:"
                    + " output 'y' has shape [-1, 2], was [1, 2]. Publish it as 2.0.0 (a new"
                    + " line), or with interfaceChange=true (ferry publish --interface-change) as"
                    + " 1.1.0 anyway"))
        .body("details.field", equalTo("version"))
        .body("details.comparedWith", equalTo("1.0.0"))
        .body(
            "details.changes",
            equalTo(java.util.List.of("output 'y' has shape [-1, 2], was [1, 2]")));
    publish(name, "1.1.0", "dynamic.onnx", "interfaceChange", "maybe")
        .statusCode(400)
        .body("message", equalTo("interfaceChange must be true or false, got 'maybe'"))
        .body("details.field", equalTo("interfaceChange"));
    publish(name, "2.0.0", "dynamic.onnx", "shapes", "x=3,4")
        .statusCode(201)
        .body("releaseSeq", equalTo(2));
    try (LogRecords taken = LogRecords.on(java.util.logging.Logger.getLogger(""))) {
      publish(name, "1.1.0", "dynamic.onnx", "shapes", "x=3,4", "interfaceChange", "true")
          .statusCode(201)
          .body("releaseSeq", equalTo(3));
      assertEquals(
          java.util.List.of(
              "WARN model '"
                  + name
                  + "' 1.1.0 changes the interface of 1.0.0, which clients of 1.x rely on: output"
                  + " 'y' has shape [-1, 2], was [1, 2]; published anyway by release-manager-"),
          taken.all().stream()
              .filter(r -> r.getMessage().contains(name))
              .map(
                  r ->
                      r.getLevel()
                          + " "
                          + r.getMessage().replaceFirst("manager-\\d+ .*", "manager-"))
              .toList());
    }
    // the line's newest release is compared with: 1.2.0 now matches 1.1.0
    publish(name, "1.2.0", "dynamic.onnx", "shapes", "x=3,4").statusCode(201);
    // 2.0.0 is taken: the change belongs in 3.0.0
    publish(name, "1.3.0", "fixed.onnx")
        .statusCode(409)
        .body("details.comparedWith", equalTo("1.2.0"))
        .body("message", containsString("Publish it as 3.0.0 (a new line)"));
    publish(name, "3.0.0-rc.1", "fixed.onnx").statusCode(201);
  }

  @Test
  void publish_rejectsAFileThatIsNotOnnxAndLeavesNothing() throws Exception {
    String name = model();
    publish(name, "1.0.0", "not.onnx")
        .statusCode(422)
        .body("code", equalTo("UNPROCESSABLE"))
        .body("message", containsString("Protobuf parsing failed"));
    assertNothingPublished(name);
  }

  /** No release 1.0.0 of {@code name} in the catalog, and no tag in the registry. */
  private void assertNothingPublished(String name) throws Exception {
    given()
        .auth()
        .oauth2(releaseManager)
        .get("/api/v1/models/" + name + "/versions/1.0.0")
        .then()
        .statusCode(404);
    try (RegistryClient registry = puller(hub)) {
      assertThrows(NotFoundException.class, () -> registry.getManifest("models/" + name, "1.0.0"));
    }
  }

  @Test
  void publish_aClientGoneMidUploadIsLoggedAsSuch_notAsAFailure_andLeavesNothing()
      throws Exception {
    String name = model();
    String path = "/api/v1/models/" + name + "/versions";
    try (LogRecords taken = LogRecords.on(java.util.logging.Logger.getLogger(""))) {
      try (java.net.Socket socket = new java.net.Socket(hub.getHost(), hub.getPort())) {
        String head =
            "--b\r\nContent-Disposition: form-data; name=\"model\"; filename=\"m.onnx\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String request =
            "POST "
                + path
                + " HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer "
                + releaseManager
                + "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: 5000000\r\n\r\n"
                + head;
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(new byte[300_000]);
        socket.getOutputStream().flush();
        Thread.sleep(300); // the hub reads part of the body before the client goes
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      java.util.List<java.util.logging.LogRecord> mapped = java.util.List.of();
      while (mapped.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        mapped =
            taken.all().stream()
                .filter(r -> "dev.ferry.hub.api.ErrorMappers".equals(r.getLoggerName()))
                .toList();
      }
      assertEquals(1, mapped.size(), "one record of the mappers, got " + mapped);
      assertEquals("INFO", mapped.get(0).getLevel().getName());
      assertEquals(
          "POST " + path + ": the client closed the connection before its request was read",
          String.format(mapped.get(0).getMessage(), mapped.get(0).getParameters()));
      assertEquals(null, mapped.get(0).getThrown(), "no stack trace for a client that went away");
    }
    assertNothingPublished(name);
  }

  @Test
  void publish_asksForGoldenInputsOrAHintForDynamicShapes() {
    String name = model();
    publish(name, "1.0.0", "dynamic.onnx")
        .statusCode(422)
        .body("message", containsString("send golden inputs or a shapes hint such as x=1,4"));
    publish(name, "1.0.0", "dynamic.onnx", "shapes", "x=3,4")
        .statusCode(201)
        .body("serving.inputs[0].shape", equalTo(java.util.List.of(-1, 4)));
  }

  @Test
  void publish_namesAGoldenInputOfTheWrongName() {
    String golden =
        "{\"schema\":\"ferry.golden/v1\",\"cases\":[{\"inputs\":[{\"name\":\"nope\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4]}]}]}";
    publish(model(), "1.0.0", "fixed.onnx", "golden", golden)
        .statusCode(422)
        .body("message", containsString("nope"));
  }

  @Test
  void publish_requiresAReleaseManager() {
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .multiPart("model", models.resolve("fixed.onnx").toFile())
        .multiPart("version", "1.0.0")
        .post("/api/v1/models/" + model() + "/versions")
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    given()
        .multiPart("model", models.resolve("fixed.onnx").toFile())
        .multiPart("version", "1.0.0")
        .post("/api/v1/models/" + model() + "/versions")
        .then()
        .statusCode(401);
  }

  @Test
  void publish_namesABadVersionAndAMissingModel() {
    publish(model(), "v1", "fixed.onnx")
        .statusCode(400)
        .body("message", equalTo("version must be a semantic version such as 1.4.0, got 'v1'"));
    given()
        .auth()
        .oauth2(releaseManager)
        .multiPart("version", "1.0.0")
        .post("/api/v1/models/" + model() + "/versions")
        .then()
        .statusCode(400)
        .body(
            "message",
            equalTo("model is missing: send the ONNX file as the multipart field 'model'"));
  }

  @Test
  void publish_signsTheExpiryItIsGivenAndNamesABadOne() throws Exception {
    String name = model();
    String body =
        publish(name, "1.0.0", "fixed.onnx", "expiresAt", "2099-01-31T00:00:00Z")
            .statusCode(201)
            .extract()
            .asString();
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    Envelope statement =
        CODEC.decode(
            tree.get("statement").toString().getBytes(StandardCharsets.UTF_8), Envelope.class);
    ReleaseStatement decoded = CODEC.decode(statement.payloadBytes(), ReleaseStatement.class);
    assertEquals(java.time.Instant.parse("2099-01-31T00:00:00Z"), decoded.predicate().expiresAt());
    publish(name, "1.0.1", "fixed.onnx", "expiresAt", "soon")
        .statusCode(400)
        .body(
            "message",
            equalTo("expiresAt must be an instant such as 2027-01-31T00:00:00Z, got 'soon'"));
    publish(name, "1.0.1", "fixed.onnx", "expiresAt", "2001-01-31T00:00:00Z")
        .statusCode(400)
        .body("message", containsString("expiresAt must be in the future (now "))
        .body("message", containsString("), got 2001-01-31T00:00:00Z"));
  }

  private static TrustRoot trustRoot() {
    String json = given().get("/api/v1/trust/root").then().statusCode(200).extract().asString();
    Envelope envelope = CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class);
    return CODEC.decode(envelope.payloadBytes(), TrustRoot.class);
  }

  /** A registry client of the hub, pulling as an enrolled device does. */
  private static RegistryClient puller(URL hub) {
    Enrolled device = Enrolled.device("puller-" + System.nanoTime());
    return RegistryClient.builder("127.0.0.1:" + hub.getPort())
        .plainHttp(true)
        .credentials(Credentials.basic(device.id(), device.password()))
        .build();
  }
}
