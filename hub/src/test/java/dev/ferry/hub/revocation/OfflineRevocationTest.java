package dev.ferry.hub.revocation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.OfflineReleaseKeyProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.Revocations;
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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Revoking with the release key offline: the release is marked at once, the next revocation list
 * waits for its signature, and the list signed away from the hub is what devices then receive.
 */
@QuarkusTest
@TestProfile(OfflineReleaseKeyProfile.class)
class OfflineRevocationTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject RevocationList revocations;
  @Inject Database db;
  private static final String LIST = "/api/v1/trust/revocations";

  private static String publishSigned(String token) throws Exception {
    String name = "offrv" + System.nanoTime();
    Path model = Files.createTempFile("model", ".onnx");
    OnnxModels.matMulAdd(model, "x", 1, 4, 2, 3);
    given()
        .auth()
        .oauth2(token)
        .multiPart("model", model.toFile())
        .multiPart("version", "1.0.0")
        .post("/api/v1/models/" + name + "/versions")
        .then()
        .statusCode(202);
    String versions = "/api/v1/models/" + name + "/versions/1.0.0";
    byte[] statement = given().auth().oauth2(token).get(versions + "/statement").asByteArray();
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(json(sign(PayloadTypes.IN_TOTO, statement)))
        .put(versions + "/signature")
        .then()
        .statusCode(200);
    return name;
  }

  private static Envelope sign(String type, byte[] payload) {
    return new Signer(OfflineReleaseKeyProfile.releaseKey()).sign(type, payload);
  }

  private static String json(Envelope envelope) {
    return new String(CODEC.encode(envelope), StandardCharsets.UTF_8);
  }

  private static ValidatableResponse submit(String token, Envelope signed) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(json(signed))
        .put(LIST)
        .then()
        .log()
        .ifValidationFails();
  }

  private static byte[] pending(String token) {
    return given()
        .auth()
        .oauth2(token)
        .get(LIST + "/pending")
        .then()
        .statusCode(200)
        .extract()
        .asByteArray();
  }

  private static void revoke(String token, String name) {
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body("{\"reason\":\"NaNs\"}")
        .post("/api/v1/models/" + name + "/versions/1.0.0/revoke")
        .then()
        .statusCode(202)
        .body("revoked.reason", equalTo("NaNs"));
  }

  @Test
  void aListSignedByARetiredReleaseKey_hasItsNextVersionPreparedForTheNewKey() throws Exception {
    String manager = OfflineReleaseKeyProfile.token("release-manager");
    byte[] old = CODEC.encode(new Revocations(1, Instant.now(), null, List.of()));
    Envelope retired = new Signer(Ed25519.generate()).sign(PayloadTypes.REVOCATIONS, old);
    db.transaction(
        c -> Jdbc.update(c, "UPDATE revocation_list SET envelope = ? WHERE id = 1", json(retired)));

    assertTrue(revocations.prepareIfRetired());
    assertFalse(revocations.prepareIfRetired(), "one waits already");
    byte[] payload = pending(manager);
    submit(manager, sign(PayloadTypes.REVOCATIONS, payload)).statusCode(200);
    assertFalse(revocations.prepareIfRetired(), "the list is signed by the root's release key");
  }

  @Test
  void revoke_marksTheRelease_andTheListSignedOfflineIsPublished() throws Exception {
    String manager = OfflineReleaseKeyProfile.token("release-manager");
    String name = publishSigned(manager);
    revoke(manager, name);

    byte[] payload = pending(manager);
    Revocations list = CODEC.decode(payload, Revocations.class);
    assertEquals(
        "1.0.0",
        list.releases().stream()
            .filter(r -> r.model().equals(name))
            .findFirst()
            .orElseThrow()
            .version());
    Envelope signed = sign(PayloadTypes.REVOCATIONS, payload);
    submit(manager, signed).statusCode(200);

    String served = given().get(LIST).then().statusCode(200).extract().asString();
    assertEquals(
        signed.payload(),
        CODEC.decode(served.getBytes(StandardCharsets.UTF_8), Envelope.class).payload());
    given()
        .auth()
        .oauth2(manager)
        .get(LIST + "/pending")
        .then()
        .statusCode(404)
        .body("message", equalTo("no revocation list waits for a signature"));
    submit(manager, signed)
        .statusCode(409)
        .body("message", equalTo("no revocation list waits for a signature"));
  }

  @Test
  void aListOtherThanThePendingOne_isRefusedNamingBothDigests() throws Exception {
    String manager = OfflineReleaseKeyProfile.token("release-manager");
    String name = publishSigned(manager);
    revoke(manager, name);
    byte[] payload = pending(manager);
    Revocations list = CODEC.decode(payload, Revocations.class);
    byte[] other =
        CODEC.encode(new Revocations(list.version(), list.issuedAt(), null, java.util.List.of()));

    submit(manager, sign(PayloadTypes.REVOCATIONS, other))
        .statusCode(409)
        .body(
            "message",
            equalTo(
                "the signed payload has digest "
                    + Digest.of(other)
                    + ", but the revocation list version "
                    + list.version()
                    + " waiting for a signature has "
                    + Digest.of(payload)
                    + ": sign the payload the hub serves for it, unchanged"));
    submit(manager, sign(PayloadTypes.IN_TOTO, payload))
        .statusCode(400)
        .body(
            "message",
            equalTo(
                "not signed by the release keys of trust root version 1: release envelope:"
                    + " payloadType must be 'application/vnd.ferry.revocations+json', got"
                    + " 'application/vnd.in-toto+json'"));
  }
}
