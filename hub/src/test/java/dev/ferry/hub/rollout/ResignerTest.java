package dev.ferry.hub.rollout;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * States signed by a hub key the newest root does not list (the key before a rotation) are signed
 * again with the hub's key: at each run of the re-signer, and at once when a new root is added.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class ResignerTest {
  private static final JsonCodec CODEC = new JsonCodec();
  private static final String RETIRED_KEY = "0".repeat(64);

  @Inject Resigner resigner;
  @Inject Database db;

  @Test
  void aStateSignedByAKeyTheRootDoesNotList_isSignedAgain_once() throws Exception {
    String model = RolloutTest.publish("rekey" + System.nanoTime(), "1.0.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice device = new FakeDevice(Map.of("site", "rekey"))) {
      DesiredState first = assign(device, model, root);
      signedByRetiredKey(device);

      assertTrue(resigner.resignUnlisted(Instant.now()) >= 1);
      DesiredState again = device.next(root);
      assertEquals(first.sequence() + 1, again.sequence());
      assertEquals(first.models(), again.models());
      assertEquals(0, resigner.resignUnlisted(Instant.now()));
    }
  }

  @Test
  void aNewRoot_signsAgainTheStatesOfKeysItDoesNotList_withoutWaitingForTheNextRun()
      throws Exception {
    String model = RolloutTest.publish("rekey" + System.nanoTime(), "1.0.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice device = new FakeDevice(Map.of("site", "rekey"))) {
      DesiredState first = assign(device, model, root);
      signedByRetiredKey(device);

      Signer rootKey =
          new Signer(
              Ed25519.keyPairFromPem(
                  Files.readString(HubTestProfile.dataDir().resolve("keys/root.pem"))));
      TrustRoot next = root.next(Instant.parse("2099-01-01T00:00:00Z"));
      given()
          .auth()
          .oauth2(Api.admin())
          .contentType(ContentType.JSON)
          .body(CODEC.encode(rootKey.sign(PayloadTypes.ROOT, CODEC.encode(next))))
          .put("/api/v1/trust/root")
          .then()
          .statusCode(200);
      assertEquals(first.sequence() + 1, device.next(next).sequence());
    }
  }

  private static DesiredState assign(FakeDevice device, String model, TrustRoot root)
      throws Exception {
    RolloutCalls.toDevice(model, "1.0.0", device.id);
    return device.next(root);
  }

  /** As if the hub had signed the device's state with a key a rotation retired. */
  private void signedByRetiredKey(FakeDevice device) {
    db.transaction(
        c ->
            Jdbc.update(
                c,
                "UPDATE desired_state SET key_id = ? WHERE device_id = ?",
                RETIRED_KEY,
                device.id));
  }
}
