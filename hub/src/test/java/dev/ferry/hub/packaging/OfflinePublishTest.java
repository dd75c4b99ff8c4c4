package dev.ferry.hub.packaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.OfflineReleaseKeyProfile;
import dev.ferry.hub.registry.BlobStore;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.testing.OnnxModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Publishing with the release key offline: the release waits PENDING_SIGNATURE, the hub serves the
 * exact statement, and the statement signed away from the hub publishes it.
 */
@QuarkusTest
@TestProfile(OfflineReleaseKeyProfile.class)
class OfflinePublishTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject BlobStore store;

  static ValidatableResponse publish(String token, String name, String version) throws Exception {
    Path model = Files.createTempFile("model", ".onnx");
    OnnxModels.matMulAdd(model, "x", 1, 4, 2, 3);
    return given()
        .auth()
        .oauth2(token)
        .multiPart("model", model.toFile())
        .multiPart("version", version)
        .post("/api/v1/models/" + name + "/versions")
        .then()
        .log()
        .ifValidationFails();
  }

  static byte[] statement(String token, String name, String version) {
    return given()
        .auth()
        .oauth2(token)
        .get("/api/v1/models/" + name + "/versions/" + version + "/statement")
        .then()
        .statusCode(200)
        .extract()
        .asByteArray();
  }

  static ValidatableResponse attach(String token, String name, String version, Envelope signed) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(new String(CODEC.encode(signed), StandardCharsets.UTF_8))
        .put("/api/v1/models/" + name + "/versions/" + version + "/signature")
        .then()
        .log()
        .ifValidationFails();
  }

  private static Envelope sign(KeyPair key, byte[] payload) {
    return new Signer(key).sign(PayloadTypes.IN_TOTO, payload);
  }

  @Test
  void publish_waitsForTheSignature_andTheStatementSignedOfflinePublishesIt() throws Exception {
    String name = "off" + System.nanoTime();
    String manager = OfflineReleaseKeyProfile.token("release-manager");
    publish(manager, name, "1.0.0")
        .statusCode(202)
        .body("state", equalTo("PENDING_SIGNATURE"))
        .body("statement", nullValue())
        .body("releaseSeq", equalTo(1));
    given()
        .auth()
        .oauth2(manager)
        .get("/api/v1/models/" + name)
        .then()
        .body("releases[0].state", equalTo("PENDING_SIGNATURE"));
    assertEquals(Optional.empty(), store.tag("models/" + name, "1.0.0"));

    byte[] payload = statement(OfflineReleaseKeyProfile.token("viewer"), name, "1.0.0");
    ReleaseStatement statement = CODEC.decode(payload, ReleaseStatement.class);
    assertEquals(name, statement.predicate().model());
    assertEquals(1, statement.predicate().releaseSeq());

    Envelope signed = sign(OfflineReleaseKeyProfile.releaseKey(), payload);
    attach(manager, name, "1.0.0", signed)
        .statusCode(200)
        .body("state", equalTo("PUBLISHED"))
        .body("statement.payload", equalTo(signed.payload()));
    assertTrue(store.tag("models/" + name, "1.0.0").isPresent());
    given()
        .auth()
        .oauth2(manager)
        .get("/api/v1/models/" + name + "/versions/1.0.0/statement")
        .then()
        .statusCode(409)
        .body(
            "message",
            allOf(
                startsWith(
                    "model '"
                        + name
                        + "' version '1.0.0' is published with a statement the release keys of"
                        + " trust root version "),
                endsWith(" signed: nothing waits for a signature")));
  }

  @Test
  void aPendingRelease_cannotBeRolledOut() throws Exception {
    String name = "off" + System.nanoTime();
    String manager = OfflineReleaseKeyProfile.token("release-manager");
    publish(manager, name, "1.0.0").statusCode(202);
    given()
        .auth()
        .oauth2(manager)
        .contentType(ContentType.JSON)
        .body("{\"model\":\"" + name + "\",\"version\":\"1.0.0\",\"devices\":[\"edge-1\"]}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(409)
        .body(
            "message",
            equalTo(
                "model '"
                    + name
                    + "' version '1.0.0' is PENDING_SIGNATURE: attach its signed statement first"
                    + " (ferry release attach)"));
  }

  @Test
  void aSignatureOverOtherBytes_isRefusedNamingBothDigests() throws Exception {
    String name = "off" + System.nanoTime();
    String manager = OfflineReleaseKeyProfile.token("release-manager");
    publish(manager, name, "1.0.0").statusCode(202);
    byte[] payload = statement(manager, name, "1.0.0");
    byte[] reencoded = (new String(payload, StandardCharsets.UTF_8) + "\n").getBytes();

    attach(manager, name, "1.0.0", sign(OfflineReleaseKeyProfile.releaseKey(), reencoded))
        .statusCode(409)
        .body(
            "message",
            equalTo(
                "the signed payload has digest "
                    + Digest.of(reencoded)
                    + ", but the statement of model '"
                    + name
                    + "' version '1.0.0' waiting for a signature has "
                    + Digest.of(payload)
                    + ": sign the payload the hub serves for it, unchanged"));
  }

  @Test
  void aSignatureByAKeyTheRootDoesNotName_isRefused() throws Exception {
    String name = "off" + System.nanoTime();
    String manager = OfflineReleaseKeyProfile.token("release-manager");
    publish(manager, name, "1.0.0").statusCode(202);
    Signer stranger = new Signer(Ed25519.generate());
    Envelope forged = stranger.sign(PayloadTypes.IN_TOTO, statement(manager, name, "1.0.0"));

    attach(manager, name, "1.0.0", forged)
        .statusCode(400)
        .body(
            "message",
            equalTo(
                "not signed by the release keys of trust root version 1: release envelope: 0 of 1"
                    + " required signatures verified (unknown key ids ["
                    + stranger.keyId().substring(0, 12)
                    + "], bad signatures from [])"));
    attach(
            OfflineReleaseKeyProfile.token("viewer"),
            name,
            "1.0.0",
            sign(OfflineReleaseKeyProfile.releaseKey(), statement(manager, name, "1.0.0")))
        .statusCode(403);
  }
}
