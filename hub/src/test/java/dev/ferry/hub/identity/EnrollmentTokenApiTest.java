package dev.ferry.hub.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.LogRecords;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.RenewRequest;
import dev.ferry.protocol.json.JsonCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Enrollment tokens: who may make them, how they show, their deletion, one use per token use. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class EnrollmentTokenApiTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Database db;

  private static JsonPath created(String role, String body) {
    return given()
        .auth()
        .oauth2(Api.token(role))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/enrollment-tokens")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }

  private int identities(String deviceId) {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT device_id FROM device_identity WHERE device_id = ?",
                    row -> row.getString(1),
                    deviceId)
                .size());
  }

  @Test
  void aReleaseManager_createsATokenWithItsDefaults_shownOnceAndStoredHashed() {
    JsonPath token = created("release-manager", "{}");

    assertTrue(token.getString("token").startsWith("fet_"));
    assertEquals(1, token.getInt("usesLeft"));
    java.time.Duration lifetime =
        java.time.Duration.between(
            java.time.Instant.parse(token.getString("createdAt")),
            java.time.Instant.parse(token.getString("expiresAt")));
    assertEquals(java.time.Duration.ofDays(1), lifetime);
    String stored =
        db.transaction(
            c ->
                Jdbc.query(
                        c,
                        "SELECT token_sha256 FROM enrollment_token WHERE id = ?",
                        row -> row.getString(1),
                        token.getString("id"))
                    .get(0));
    assertEquals(Secrets.hash(token.getString("token")), stored);
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .get("/api/v1/enrollment-tokens")
        .then()
        .statusCode(200)
        .body("id", hasItem(token.getString("id")))
        .body("token", not(hasItem(token.getString("token"))))
        .body("find { it.id == '" + token.getString("id") + "' }.createdBy", not(equalTo(null)));
  }

  @Test
  void aViewer_mayNotCreateOrDelete() {
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/v1/enrollment-tokens")
        .then()
        .statusCode(403);
    given().get("/api/v1/enrollment-tokens").then().statusCode(401);
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .delete("/api/v1/enrollment-tokens/" + created("admin", "{}").getString("id"))
        .then()
        .statusCode(403);
  }

  @Test
  void aDeletedToken_enrollsNothing() {
    JsonPath token = created("admin", "{\"uses\":5,\"expiresIn\":\"PT10M\"}");
    String path = "/api/v1/enrollment-tokens/" + token.getString("id");
    String release = Api.token("release-manager");

    given().auth().oauth2(release).delete(path).then().statusCode(204);
    given().auth().oauth2(release).delete(path).then().statusCode(404);

    String deviceId = "deleted-" + System.nanoTime();
    EnrollmentApiTest.enroll(token.getString("token"), deviceId, TestCsr.of(deviceId).pem())
        .then()
        .statusCode(401)
        .body("message", equalTo("token is not a valid enrollment token"));
    assertEquals(0, identities(deviceId));
  }

  @Test
  void limits_areNamed() {
    String admin = Api.admin();
    for (String[] bad :
        new String[][] {
          {"{\"uses\":100001}", "uses must be between 1 and 100000, got 100001"},
          {"{\"expiresIn\":\"PT30S\"}", "expiresIn must be between PT1M and P365D, got 'PT30S'"},
          {"{\"expiresIn\":\"P366D\"}", "expiresIn must be between PT1M and P365D, got 'P366D'"}
        }) {
      given()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body(bad[0])
          .post("/api/v1/enrollment-tokens")
          .then()
          .statusCode(400)
          .body("message", equalTo(bad[1]));
    }
  }

  @Test
  void devicesRacingForTheLastUse_onlyOneEnrolls() throws Exception {
    String token = created("admin", "{\"uses\":1}").getString("token");
    List<Callable<Integer>> racers = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String deviceId = "racer-" + i + "-" + System.nanoTime();
      String csr = TestCsr.of(deviceId).pem();
      ids.add(deviceId);
      racers.add(() -> EnrollmentApiTest.enroll(token, deviceId, csr).statusCode());
    }
    ExecutorService pool = Executors.newFixedThreadPool(racers.size());
    List<Integer> statuses = new ArrayList<>();
    try {
      for (Future<Integer> status : pool.invokeAll(racers)) {
        statuses.add(status.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
    assertEquals(5, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
    assertEquals(1, ids.stream().mapToInt(this::identities).sum());
  }

  @Test
  void tokensAndPasswords_neverReachTheLog() {
    LogRecords taken = LogRecords.on(Logger.getLogger(""));
    List<Logger> verbose =
        java.util.stream.Stream.of(
                "dev.ferry", "io.quarkus.security", "org.jboss.resteasy.reactive")
            .map(Logger::getLogger)
            .toList();
    verbose.forEach(logger -> logger.setLevel(java.util.logging.Level.FINE));
    Logger.getLogger(EnrollmentTokenApiTest.class.getName()).info("capturing");
    String deviceId = "quiet-" + System.nanoTime();
    String token;
    DeviceCredentials credentials;
    try {
      token = created("admin", "{}").getString("token");
      EnrollmentApiTest.enroll(token + "x", deviceId, TestCsr.of(deviceId).pem())
          .then()
          .statusCode(401);
      var enrolled = EnrollmentApiTest.enroll(token, deviceId, TestCsr.of(deviceId).pem());
      enrolled.then().statusCode(201);
      credentials = CODEC.decode(enrolled.asByteArray(), DeviceCredentials.class);
      byte[] renewal = CODEC.encode(new RenewRequest(TestCsr.of(deviceId).pem()));
      for (String password : new String[] {credentials.mqttPassword(), "fdp_wrong"}) {
        given()
            .auth()
            .preemptive()
            .basic(deviceId, password)
            .contentType(ContentType.JSON)
            .body(renewal)
            .post("/api/v1/devices/" + deviceId + "/certificate");
      }
    } finally {
      taken.close();
      verbose.forEach(logger -> logger.setLevel(null));
    }

    List<String> lines = new ArrayList<>();
    for (LogRecord record : taken.all()) {
      lines.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
      if (record.getThrown() != null) {
        lines.add(String.valueOf(record.getThrown()));
      }
    }
    assertTrue(lines.contains("capturing null"), "the handler on the root logger saw nothing");
    for (String line : lines) {
      assertFalse(line.contains(token), line);
      assertFalse(line.contains(credentials.mqttPassword()), line);
      assertFalse(line.contains("fdp_wrong"), line);
    }
  }
}
