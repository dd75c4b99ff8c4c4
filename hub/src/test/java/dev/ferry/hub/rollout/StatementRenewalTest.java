package dev.ferry.hub.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Statements signed by a retired release key (as after a rotation): devices refuse every state that
 * carries one, so the release manager has them signed again, the payload unchanged, by the hub's
 * key or away from the hub; the states that assign them follow.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class StatementRenewalTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Database db;

  @Test
  void renew_signsAStatementOfARetiredKeyAgain_andTheDeviceGetsItInANewState() throws Exception {
    String model = RolloutTest.publish("renew" + System.nanoTime(), "1.0.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice device = new FakeDevice(Map.of("site", "renew"))) {
      RolloutCalls.toDevice(model, "1.0.0", device.id);
      DesiredState first = device.next(root);
      byte[] payload = signedByRetiredKey(model);

      given()
          .auth()
          .oauth2(Api.admin())
          .post("/api/v1/trust/statements/renew")
          .then()
          .statusCode(200)
          .body("name", hasItem(model));
      DesiredState again = device.next(root);
      assertEquals(first.sequence() + 1, again.sequence());
      Envelope statement = again.models().get(0).release();
      assertArrayEquals(
          payload, root.verifier(Role.RELEASE).verify(statement, PayloadTypes.IN_TOTO));

      given()
          .auth()
          .oauth2(Api.admin())
          .post("/api/v1/trust/statements/renew")
          .then()
          .statusCode(200)
          .body("size()", equalTo(0));
    }
  }

  @Test
  void aStatementSignedAgainAwayFromTheHub_isTakenForItsPayloadAlone_andReachesTheDevice()
      throws Exception {
    String model = RolloutTest.publish("renew" + System.nanoTime(), "1.0.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice device = new FakeDevice(Map.of("site", "renew"))) {
      RolloutCalls.toDevice(model, "1.0.0", device.id);
      DesiredState first = device.next(root);
      byte[] payload = signedByRetiredKey(model);
      assertThrows(
          UntrustedSignatureException.class,
          () -> root.verifier(Role.RELEASE).verify(stored(model), PayloadTypes.IN_TOTO));

      byte[] served =
          given()
              .auth()
              .oauth2(Api.admin())
              .get("/api/v1/models/" + model + "/versions/1.0.0/statement")
              .then()
              .statusCode(200)
              .extract()
              .asByteArray();
      assertArrayEquals(payload, served);
      Signer release =
          new Signer(
              Ed25519.keyPairFromPem(
                  Files.readString(HubTestProfile.dataDir().resolve("keys/release.pem"))));
      attach(model, new Signer(Ed25519.generate()).sign(PayloadTypes.IN_TOTO, served))
          .statusCode(400);
      attach(model, release.sign(PayloadTypes.IN_TOTO, "{}".getBytes(StandardCharsets.UTF_8)))
          .statusCode(409);
      attach(model, release.sign(PayloadTypes.IN_TOTO, served)).statusCode(200);

      DesiredState again = device.next(root);
      assertEquals(first.sequence() + 1, again.sequence());
      root.verifier(Role.RELEASE).verify(again.models().get(0).release(), PayloadTypes.IN_TOTO);
      attach(model, release.sign(PayloadTypes.IN_TOTO, served))
          .statusCode(409)
          .body("message", containsString("nothing waits for a signature"));
    }
  }

  private static io.restassured.response.ValidatableResponse attach(String model, Envelope signed) {
    return given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body(CODEC.encode(signed))
        .put("/api/v1/models/" + model + "/versions/1.0.0/signature")
        .then();
  }

  private Envelope stored(String model) {
    String json =
        db.transaction(
                c ->
                    Jdbc.query(
                        c,
                        "SELECT statement FROM model_release WHERE model = ?",
                        row -> row.getString(1),
                        model))
            .get(0);
    return CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class);
  }

  /** As if a release key since retired had signed the release: its payload, another key. */
  private byte[] signedByRetiredKey(String model) {
    byte[] payload = stored(model).payloadBytes();
    Envelope retired = new Signer(Ed25519.generate()).sign(PayloadTypes.IN_TOTO, payload);
    db.transaction(
        c ->
            Jdbc.update(
                c,
                "UPDATE model_release SET statement = ? WHERE model = ?",
                new String(CODEC.encode(retired), StandardCharsets.UTF_8),
                model));
    return payload;
  }
}
