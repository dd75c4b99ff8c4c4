package dev.ferry.hub.revocation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.release.RevokedRelease;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.OnnxModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Revoking a release through the API: marked, on the signed list, refused for rollouts. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class RevocationTest {
  private static final JsonCodec CODEC = new JsonCodec();

  private static ValidatableResponse revoke(
      String token, String model, String version, String body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/models/" + model + "/versions/" + version + "/revoke")
        .then()
        .log()
        .ifValidationFails();
  }

  private static String publish(String name, String version) throws Exception {
    Path model = Files.createTempFile("model", ".onnx");
    OnnxModels.matMulAdd(model, "x", 1, 4, 2, 5);
    given()
        .auth()
        .oauth2(Api.admin())
        .multiPart("model", model.toFile())
        .multiPart("version", version)
        .post("/api/v1/models/" + name + "/versions")
        .then()
        .statusCode(201);
    return name;
  }

  private static TrustRoot trustRoot() {
    String json = given().get("/api/v1/trust/root").then().extract().asString();
    return CODEC.decode(
        CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class).payloadBytes(),
        TrustRoot.class);
  }

  private static Revocations list() {
    String json =
        given().get("/api/v1/trust/revocations").then().statusCode(200).extract().asString();
    Envelope envelope = CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class);
    byte[] payload = trustRoot().verifier(Role.RELEASE).verify(envelope, PayloadTypes.REVOCATIONS);
    return CODEC.decode(payload, Revocations.class);
  }

  @Inject RevocationList revocationList;

  @Test
  void aStart_keepsTheListItsReleaseKeySigned_underTheSameVersion() {
    long before = list().version();
    // what each start of the hub does: before, every start signed a new version, which every
    // device received and logged
    revocationList.start(null);
    revocationList.start(null);
    assertEquals(before, list().version());
  }

  @Test
  void revoke_marksTheReleaseAndSignsItOntoTheList() throws Exception {
    String model = publish("rv" + System.nanoTime(), "1.0.0");
    long before = list().version();
    String manager = Api.token("release-manager");

    revoke(manager, model, "1.0.0", "{\"reason\":\"misreads receipts\"}")
        .statusCode(200)
        .body("revoked.reason", equalTo("misreads receipts"))
        .body("revoked.revokedBy", startsWith("release-manager-"));

    given()
        .auth()
        .oauth2(manager)
        .get("/api/v1/models/" + model + "/versions/1.0.0")
        .then()
        .statusCode(200)
        .body("revoked.reason", equalTo("misreads receipts"));
    Revocations after = list();
    assertTrue(after.version() > before, after.version() + " > " + before);
    RevokedRelease entry =
        after.releases().stream().filter(r -> r.model().equals(model)).findFirst().orElseThrow();
    assertEquals("1.0.0", entry.version());
    assertEquals("misreads receipts", entry.reason());
  }

  @Test
  void revoke_aSecondTimeIsAConflictAndARolloutOfItToo() throws Exception {
    String model = publish("rv" + System.nanoTime(), "1.0.0");
    String manager = Api.token("release-manager");
    var revoked =
        revoke(manager, model, "1.0.0", "{\"reason\":\"NaNs\"}").statusCode(200).extract();
    String revocation =
        " is refused: it was revoked at "
            + revoked.path("revoked.revokedAt")
            + " by "
            + revoked.path("revoked.revokedBy")
            + " (NaNs)";

    revoke(manager, model, "1.0.0", "{\"reason\":\"again\"}")
        .statusCode(409)
        .body("code", equalTo("CONFLICT"));
    given()
        .auth()
        .oauth2(manager)
        .contentType(ContentType.JSON)
        .body("{\"model\":\"" + model + "\",\"version\":\"1.0.0\",\"devices\":[\"edge-1\"]}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(409)
        .body("code", equalTo("CONFLICT"))
        .body(
            "message", equalTo("a rollout of model '" + model + "' version '1.0.0'" + revocation));
  }

  private static String rollout(String token, String model, String version, String device) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(
            "{\"model\":\""
                + model
                + "\",\"version\":\""
                + version
                + "\",\"devices\":[\""
                + device
                + "\"]}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static ValidatableResponse rolloutView(String token, String id) {
    return given().auth().oauth2(token).get("/api/v1/rollouts/" + id).then().statusCode(200);
  }

  @Test
  void revoke_cancelsTheLiveRolloutsOfTheRelease_andNoOther() throws Exception {
    String model = publish("rv" + System.nanoTime(), "1.0.0");
    publish(model, "1.1.0");
    String manager = Api.token("release-manager");
    String first = rollout(manager, model, "1.0.0", "edge-" + model);
    String other = rollout(manager, model, "1.1.0", "edge-other-" + model);

    var revoked =
        revoke(manager, model, "1.0.0", "{\"reason\":\"NaNs\"}").statusCode(200).extract();

    rolloutView(manager, first)
        .body("state", equalTo("CANCELLED"))
        .body(
            "reason",
            equalTo(
                "release "
                    + model
                    + "@1.0.0 was revoked by "
                    + revoked.path("revoked.revokedBy")
                    + ": NaNs"));
    rolloutView(manager, other).body("state", equalTo("RUNNING"));
  }

  @Test
  void rollback_toARevokedRelease_isRefusedNamingIt() throws Exception {
    String model = publish("rv" + System.nanoTime(), "1.0.0");
    publish(model, "1.1.0");
    String manager = Api.token("release-manager");
    String device = "edge-" + model;
    rollout(manager, model, "1.0.0", device);
    String newer = rollout(manager, model, "1.1.0", device);
    var revoked =
        revoke(manager, model, "1.0.0", "{\"reason\":\"NaNs\"}").statusCode(200).extract();

    given()
        .auth()
        .oauth2(manager)
        .post("/api/v1/rollouts/" + newer + "/rollback")
        .then()
        .statusCode(409)
        .body(
            "message",
            equalTo(
                "rolling back rollout "
                    + newer
                    + " to model '"
                    + model
                    + "' version '1.0.0' is refused: it was revoked at "
                    + revoked.path("revoked.revokedAt")
                    + " by "
                    + revoked.path("revoked.revokedBy")
                    + " (NaNs)"));
    rolloutView(manager, newer).body("state", equalTo("RUNNING"));
  }

  @Test
  void revoke_namesWhatIsWrong() throws Exception {
    String model = publish("rv" + System.nanoTime(), "1.0.0");
    String manager = Api.token("release-manager");
    revoke(manager, model, "9.9.9", "{\"reason\":\"x\"}")
        .statusCode(404)
        .body("message", equalTo("model '" + model + "' has no version '9.9.9'"));
    revoke(manager, model, "1.0.0", "{}").statusCode(400);
    revoke(Api.token("viewer"), model, "1.0.0", "{\"reason\":\"x\"}").statusCode(403);
    given()
        .auth()
        .oauth2(manager)
        .get("/api/v1/models/" + model + "/versions/1.0.0")
        .then()
        .body("revoked", nullValue());
  }
}
