package dev.ferry.hub.signing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.HubTestProfile;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hub's chain of trust roots: read by anyone, extended by a trust admin with root N+1. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class TrustChainTest {
  private static final JsonCodec CODEC = new JsonCodec();
  private static final Instant LATER = Instant.parse("2099-01-01T00:00:00Z");

  @Test
  void put_addsTheNextRootForATrustAdmin_andTheChainEndsWithIt() throws Exception {
    TrustRoot latest = latest();
    Envelope next = sign(latest.next(LATER), rootKey());
    given()
        .auth()
        .oauth2(token("trust-admin"))
        .contentType(ContentType.JSON)
        .body(json(next))
        .put("/api/v1/trust/root")
        .then()
        .statusCode(200);

    List<Envelope> roots =
        given()
            .get("/api/v1/trust/roots")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("roots", Envelope.class);
    assertEquals(latest.version() + 1, roots.size());
    assertEquals(latest.version() + 1, latest().version());
    assertEquals(LATER, latest().expiresAt());
  }

  @Test
  void put_refusesAReleaseManager() throws Exception {
    Envelope next = sign(latest().next(LATER), rootKey());
    given()
        .auth()
        .oauth2(token("release-manager"))
        .contentType(ContentType.JSON)
        .body(json(next))
        .put("/api/v1/trust/root")
        .then()
        .statusCode(403);
  }

  @Test
  void put_refusesARootThatIsNotTheNextVersion() throws Exception {
    TrustRoot latest = latest();
    Envelope skipped = sign(latest.next(LATER).next(LATER), rootKey());
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(json(skipped))
        .put("/api/v1/trust/root")
        .then()
        .statusCode(409)
        .body(
            "message",
            equalTo(
                "root version must be "
                    + (latest.version() + 1)
                    + ", got "
                    + (latest.version() + 2)));
  }

  @Test
  void put_refusesARootNotSignedByTheCurrentRootKeys() throws Exception {
    TrustRoot latest = latest();
    Envelope forged = sign(latest.next(LATER), Ed25519.generate());
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(json(forged))
        .put("/api/v1/trust/root")
        .then()
        .statusCode(400)
        .body(
            "message",
            startsWith(
                "the next root must be signed by a threshold of root version "
                    + latest.version()
                    + "'s root keys: root envelope: 0 of 1 required signatures verified"));
  }

  @Test
  void put_refusesAnExpiredRoot() throws Exception {
    TrustRoot latest = latest();
    Envelope expired = sign(latest.next(Instant.parse("2020-01-01T00:00:00Z")), rootKey());
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(json(expired))
        .put("/api/v1/trust/root")
        .then()
        .statusCode(400)
        .body(
            "message",
            equalTo(
                "trust root version "
                    + (latest.version() + 1)
                    + " expired at 2020-01-01T00:00:00Z"));
  }

  private static TrustRoot latest() {
    String json = given().get("/api/v1/trust/root").then().statusCode(200).extract().asString();
    return TrustRoot.selfSigned(
        CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class), CODEC);
  }

  private static KeyPair rootKey() throws Exception {
    return Ed25519.keyPairFromPem(
        Files.readString(HubTestProfile.dataDir().resolve("keys/root.pem")));
  }

  private static Envelope sign(TrustRoot root, KeyPair key) {
    return new Signer(key).sign(PayloadTypes.ROOT, CODEC.encode(root));
  }

  private static String json(Envelope envelope) {
    return new String(CODEC.encode(envelope), StandardCharsets.UTF_8);
  }

  private static String admin() throws Exception {
    return Files.readString(HubTestProfile.dataDir().resolve("admin.token")).strip();
  }

  private static String token(String role) throws Exception {
    return given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(
            "{\"name\":\"trust-" + role + "-" + System.nanoTime() + "\",\"role\":\"" + role + "\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }
}
