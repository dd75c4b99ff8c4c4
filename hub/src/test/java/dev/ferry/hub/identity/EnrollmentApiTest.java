package dev.ferry.hub.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.json.JsonCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Enrollment through the API: tokens, CSRs, certificates, revocation and renewal. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class EnrollmentApiTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Database db;
  @Inject DeviceAccess access;
  @Inject Revocations revocations;
  @Inject DeviceIdentities identities;

  /** Records revocation events. */
  @Singleton
  static class Revocations {
    final List<String> seen = new CopyOnWriteArrayList<>();

    void on(@Observes DeviceRevoked event) {
      seen.add(event.deviceId());
    }
  }

  private static String id(String name) {
    return name + "-" + System.nanoTime();
  }

  static String token(String body) {
    return given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/enrollment-tokens")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  static Response enroll(String token, String deviceId, String csr) {
    return given()
        .contentType(ContentType.JSON)
        .body(CODEC.encode(new EnrollRequest(token, deviceId, csr)))
        .post("/api/v1/enroll");
  }

  private static DeviceCredentials enrolled(String deviceId) {
    String token = token("{\"deviceId\":\"" + deviceId + "\"}");
    Response response = enroll(token, deviceId, TestCsr.of(deviceId).pem());
    response.then().statusCode(201);
    return CODEC.decode(response.asByteArray(), DeviceCredentials.class);
  }

  private static X509Certificate certificate(String pem) {
    return Pem.certificates(pem).get(0);
  }

  @Test
  void aToken_isShownOnce_andEnrollsItsDevice_withACertificateFromTheDeviceCa() throws Exception {
    String deviceId = id("edge");
    DeviceCredentials credentials = enrolled(deviceId);

    assertEquals("ACCEPTED", credentials.status());
    X509Certificate leaf = certificate(credentials.certificate());
    String ca = given().get("/api/v1/identity/ca").then().statusCode(200).extract().asString();
    leaf.verify(certificate(ca).getPublicKey());
    assertEquals("CN=" + deviceId, leaf.getSubjectX500Principal().getName());
    assertEquals(ca, credentials.caCertificates());
    assertTrue(credentials.mqttPassword().startsWith("fdp_"));
    assertTrue(
        access.authenticate(deviceId, credentials.mqttPassword().getBytes(StandardCharsets.UTF_8)));
    assertTrue(access.accepted(deviceId));
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/devices/" + deviceId)
        .then()
        .statusCode(200)
        .body("enrollment.state", equalTo("ACCEPTED"))
        .body("enrollment.certificateSerial", equalTo(leaf.getSerialNumber().toString(16)))
        .body("enrollment.certificateNotAfter", equalTo(leaf.getNotAfter().toInstant().toString()));
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/enrollment-tokens")
        .then()
        .statusCode(200)
        .body("find { it.deviceId == '" + deviceId + "' }.token", nullValue())
        .body("find { it.deviceId == '" + deviceId + "' }.usesLeft", equalTo(0));
  }

  @Test
  void aLabelToken_givesItsLabels_andAUsedUpTokenIssuesNothing() {
    String token = token("{\"labels\":{\"site\":\"berlin\"},\"uses\":1}");
    String first = id("lab");
    String second = id("lab");
    enroll(token, first, TestCsr.of(first).pem()).then().statusCode(201);

    enroll(token, second, TestCsr.of(second).pem())
        .then()
        .statusCode(401)
        .body("message", equalTo("token has no uses left"));
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/devices/" + first)
        .then()
        .body("hubLabels.site", equalTo("berlin"));
    given().auth().oauth2(Api.admin()).get("/api/v1/devices/" + second).then().statusCode(404);
  }

  @Test
  void badTokensAndRequests_getA4xxNamingTheField_andIssueNothing() {
    String deviceId = id("bad");
    String named = token("{\"deviceId\":\"" + deviceId + "\"}");
    String csr = TestCsr.of(deviceId).pem();

    enroll("fet_unknown", deviceId, csr)
        .then()
        .statusCode(401)
        .body("message", equalTo("token is not a valid enrollment token"));
    String other = id("other");
    enroll(named, other, TestCsr.of(other).pem())
        .then()
        .statusCode(403)
        .body("message", equalTo("deviceId '" + other + "' is not the device this token enrolls"));
    enroll(named, deviceId, "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n")
        .then()
        .statusCode(400)
        .body("message", org.hamcrest.Matchers.startsWith("csr must be a PEM PKCS#10"));
    enroll(named, "bad id!", csr)
        .then()
        .statusCode(400)
        .body("message", org.hamcrest.Matchers.startsWith("deviceId must match"));
    enroll(named, "ferry-hub-x", TestCsr.of("ferry-hub-x").pem())
        .then()
        .statusCode(400)
        .body("message", org.hamcrest.Matchers.startsWith("deviceId must not start with"));
    enroll(null, deviceId, csr).then().statusCode(400);
    given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body("{\"uses\":0}")
        .post("/api/v1/enrollment-tokens")
        .then()
        .statusCode(400)
        .body("message", equalTo("uses must be between 1 and 100000, got 0"));
    given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body("{\"expiresIn\":\"tomorrow\"}")
        .post("/api/v1/enrollment-tokens")
        .then()
        .statusCode(400)
        .body("message", org.hamcrest.Matchers.startsWith("expiresIn must be an ISO-8601"));

    assertFalse(access.accepted(deviceId));
    enroll(named, deviceId, csr).then().statusCode(201);
  }

  /** Makes a token expired a second ago. */
  private void expire(String token) {
    db.transaction(
        c ->
            Jdbc.update(
                c,
                "UPDATE enrollment_token SET expires_at = ? WHERE token_sha256 = ?",
                Instant.now().minusSeconds(1),
                Secrets.hash(token)));
  }

  @Test
  void anExpiredToken_isRefused() {
    String deviceId = id("late");
    String token = token("{}");
    expire(token);

    enroll(token, deviceId, TestCsr.of(deviceId).pem())
        .then()
        .statusCode(401)
        .body("message", org.hamcrest.Matchers.startsWith("token expired at "));
  }

  @Test
  void anEnrollmentAskedAgainWithItsTokenAndKey_isIssuedAgain_whileItsCredentialsWentUnused()
      throws Exception {
    String deviceId = id("lost");
    String token = token("{}");
    TestCsr csr = TestCsr.of(deviceId);
    Response first = enroll(token, deviceId, csr.pem());
    first.then().statusCode(201);
    DeviceCredentials lost = CODEC.decode(first.asByteArray(), DeviceCredentials.class);

    // the answer never reached the device, which asks again with what it kept: token and key
    Response again = enroll(token, deviceId, csr.pem());
    again.then().statusCode(201).body("status", equalTo("ACCEPTED"));
    DeviceCredentials kept = CODEC.decode(again.asByteArray(), DeviceCredentials.class);
    X509Certificate leaf = certificate(kept.certificate());
    assertEquals(csr.keys().getPublic(), leaf.getPublicKey());
    assertNotEquals(certificate(lost.certificate()).getSerialNumber(), leaf.getSerialNumber());
    assertTrue(access.authenticate(deviceId, kept.mqttPassword().getBytes(StandardCharsets.UTF_8)));
    assertFalse(
        access.authenticate(deviceId, lost.mqttPassword().getBytes(StandardCharsets.UTF_8)));
    String other = id("other");
    enroll(token, other, TestCsr.of(other).pem())
        .then()
        .statusCode(401)
        .body("message", equalTo("token has no uses left"));
    enroll(token, deviceId, TestCsr.of(deviceId).pem())
        .then()
        .statusCode(409)
        .body(
            "message",
            equalTo("deviceId '" + deviceId + "' is enrolled already, with another token or key"));

    // once the device has been seen, its credentials are its own: a copy of its CSR gets nothing
    db.transaction(
        c ->
            Jdbc.update(
                c, "UPDATE device SET last_seen = ? WHERE id = ?", Instant.now(), deviceId));
    String refused =
        "deviceId '"
            + deviceId
            + "' has its credentials already; it renews over its identity (they are issued again"
            + " only to its token and key, within 60 minutes of its enrollment, before the device"
            + " was ever seen)";
    enroll(token, deviceId, csr.pem()).then().statusCode(409).body("message", equalTo(refused));
    assertTrue(access.authenticate(deviceId, kept.mqttPassword().getBytes(StandardCharsets.UTF_8)));
    // nor once its token has expired
    db.transaction(
        c -> Jdbc.update(c, "UPDATE device SET last_seen = NULL WHERE id = ?", deviceId));
    expire(token);
    enroll(token, deviceId, csr.pem()).then().statusCode(409).body("message", equalTo(refused));
  }

  @Test
  void aSecondEnrollmentOfTheSameId_isAConflict() {
    String deviceId = id("twice");
    enrolled(deviceId);
    String again = token("{}");

    enroll(again, deviceId, TestCsr.of(deviceId).pem())
        .then()
        .statusCode(409)
        .body(
            "message",
            equalTo("deviceId '" + deviceId + "' is enrolled already, with another token or key"));
  }

  @Test
  void revoking_refusesTheDevice_andPutsItsCertificateOnTheCrl() throws Exception {
    String deviceId = id("gone");
    DeviceCredentials credentials = enrolled(deviceId);
    X509Certificate leaf = certificate(credentials.certificate());

    given()
        .auth()
        .oauth2(Api.admin())
        .post("/api/v1/devices/" + deviceId + "/revoke")
        .then()
        .statusCode(200)
        .body("enrollment.state", equalTo("REVOKED"));

    assertFalse(
        access.authenticate(deviceId, credentials.mqttPassword().getBytes(StandardCharsets.UTF_8)));
    assertFalse(access.accepted(deviceId));
    assertTrue(revocations.seen.contains(deviceId));
    String crlPem = given().get("/api/v1/identity/crl").then().statusCode(200).extract().asString();
    X509CRL crl =
        (X509CRL)
            CertificateFactory.getInstance("X.509")
                .generateCRL(
                    new java.io.ByteArrayInputStream(crlPem.getBytes(StandardCharsets.US_ASCII)));
    assertTrue(crl.isRevoked(leaf));
    var file = HubTestProfile.dataDir().resolve("keys/devices.crl.pem");
    assertEquals(crlPem, Files.readString(file));
    given()
        .auth()
        .oauth2(Api.token("release-manager"))
        .post("/api/v1/devices/" + deviceId + "/revoke")
        .then()
        .statusCode(403);
  }

  @Test
  void renewal_needsTheDevicesPassword_andIssuesALaterCertificate() throws Exception {
    String deviceId = id("renew");
    DeviceCredentials credentials = enrolled(deviceId);
    X509Certificate old = certificate(credentials.certificate());
    Thread.sleep(1100);
    byte[] body = CODEC.encode(new dev.ferry.protocol.api.RenewRequest(TestCsr.of(deviceId).pem()));

    given()
        .auth()
        .preemptive()
        .basic(deviceId, "fdp_wrong")
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/devices/" + deviceId + "/certificate")
        .then()
        .statusCode(401);
    Response renewed =
        given()
            .auth()
            .preemptive()
            .basic(deviceId, credentials.mqttPassword())
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/v1/devices/" + deviceId + "/certificate");

    renewed.then().statusCode(200).body("mqttPassword", nullValue());
    X509Certificate fresh =
        certificate(CODEC.decode(renewed.asByteArray(), DeviceCredentials.class).certificate());
    assertTrue(fresh.getNotAfter().after(old.getNotAfter()));
    assertEquals(old.getSubjectX500Principal(), fresh.getSubjectX500Principal());
  }

  @Test
  void aDeviceAnotherReplicaAccepted_isAdmittedAtOnce_notAfterTheNextRefresh() {
    String deviceId = id("elsewhere");
    byte[] password = "fd_from-the-other-replica".getBytes(StandardCharsets.UTF_8);
    Instant now = Instant.now();
    // written as another replica writes it: straight into the database, not through this cache
    db.transaction(
        c -> {
          identities.insert(
              c,
              new Identity(
                  deviceId,
                  IdentityState.ACCEPTED,
                  "token-elsewhere",
                  "00".repeat(32),
                  null,
                  now,
                  now,
                  null,
                  null,
                  null));
          identities.setPassword(c, deviceId, Secrets.hash(password));
          return null;
        });
    assertTrue(access.accepted(deviceId));
    assertTrue(access.authenticate(deviceId, password));
    assertFalse(access.authenticate(deviceId, "wrong".getBytes(StandardCharsets.UTF_8)));
    assertFalse(access.accepted(id("never-enrolled")));
  }

  @Test
  void theCaKey_isPrivateToItsOwner() throws Exception {
    var key = HubTestProfile.dataDir().resolve("keys/device-ca.key");
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
  }

  private static Response renew(String deviceId, String password, String csr) {
    var request = given().contentType(ContentType.JSON);
    if (password != null) {
      request = request.auth().preemptive().basic(deviceId, password);
    }
    return request
        .body(CODEC.encode(new dev.ferry.protocol.api.RenewRequest(csr)))
        .post("/api/v1/devices/" + deviceId + "/certificate");
  }

  @Test
  void renewal_refusesAMissingCredentialOrCsr_andARevokedDevice() {
    String deviceId = id("stale");
    DeviceCredentials credentials = enrolled(deviceId);
    String csr = TestCsr.of(deviceId).pem();

    renew(deviceId, null, csr)
        .then()
        .statusCode(401)
        .body("message", equalTo("renewal needs Authorization: Basic <" + deviceId + ":password>"));
    renew(deviceId, credentials.mqttPassword(), "garbage")
        .then()
        .statusCode(400)
        .body(
            "message",
            equalTo(
                "csr must be a PEM PKCS#10 certificate request: expected one PEM block, found 0"));
    renew(deviceId, credentials.mqttPassword(), TestCsr.of("someone-else").pem())
        .then()
        .statusCode(400)
        .body("message", org.hamcrest.Matchers.startsWith("csr subject CN must be the deviceId"));

    given().auth().oauth2(Api.admin()).post("/api/v1/devices/" + deviceId + "/revoke");
    renew(deviceId, credentials.mqttPassword(), csr)
        .then()
        .statusCode(401)
        .body(
            "message",
            equalTo(
                "device '"
                    + deviceId
                    + "' did not authenticate: unknown, not accepted, or a wrong password"));
  }

  @Test
  void revokingTwice_keepsTheFirstRevocation_andReEnrollingIsAConflict() {
    String deviceId = id("twice-revoked");
    enrolled(deviceId);
    String revoke = "/api/v1/devices/" + deviceId + "/revoke";
    String first =
        given()
            .auth()
            .oauth2(Api.admin())
            .post(revoke)
            .then()
            .extract()
            .path("enrollment.revokedAt");

    given()
        .auth()
        .oauth2(Api.admin())
        .post(revoke)
        .then()
        .statusCode(200)
        .body("enrollment.revokedAt", equalTo(first));
    enroll(token("{}"), deviceId, TestCsr.of(deviceId).pem())
        .then()
        .statusCode(409)
        .body("message", equalTo("deviceId '" + deviceId + "' was revoked"));
    given()
        .auth()
        .oauth2(Api.admin())
        .post("/api/v1/devices/nobody-" + System.nanoTime() + "/revoke")
        .then()
        .statusCode(404);
  }
}
