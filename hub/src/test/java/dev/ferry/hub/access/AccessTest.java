package dev.ferry.hub.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(HubTestProfile.class)
class AccessTest {
  private static String admin() throws Exception {
    return Files.readString(HubTestProfile.dataDir().resolve("admin.token")).strip();
  }

  @Test
  void adminToken_isGeneratedOwnerReadableOnly() throws Exception {
    Path file = HubTestProfile.dataDir().resolve("admin.token");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(true, admin().startsWith("fy_"));
  }

  @Test
  void noToken_gets401WithTheErrorBody() {
    given()
        .get("/api/v1/tokens")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("code", equalTo("UNAUTHENTICATED"));
  }

  @Test
  void unknownToken_gets401() {
    given()
        .auth()
        .oauth2("fy_not-a-token")
        .get("/api/v1/tokens")
        .then()
        .statusCode(401)
        .body("code", equalTo("UNAUTHENTICATED"));
  }

  @Test
  void viewer_isForbiddenFromAdminWork() throws Exception {
    String viewer =
        given()
            .auth()
            .oauth2(admin())
            .contentType(ContentType.JSON)
            .body("{\"name\":\"dash-" + System.nanoTime() + "\",\"role\":\"viewer\"}")
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .body("role", equalTo("viewer"))
            .extract()
            .path("token");
    given()
        .auth()
        .oauth2(viewer)
        .get("/api/v1/tokens")
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
  }

  @Test
  void issue_rejectsAnUnknownRoleNamingIt() throws Exception {
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body("{\"name\":\"x\",\"role\":\"god\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_REQUEST"))
        .body(
            "message",
            equalTo("role must be one of admin, release-manager, trust-admin, viewer, got 'god'"));
  }

  @Test
  void tokens_withAnExpiry_workUntilItAndAreRefusedFromThen() throws Exception {
    String name = "brief-" + System.nanoTime();
    String expires = java.time.Instant.now().plusSeconds(2).toString();
    String token =
        given()
            .auth()
            .oauth2(admin())
            .contentType(ContentType.JSON)
            .body(
                "{\"name\":\"" + name + "\",\"role\":\"viewer\",\"expiresAt\":\"" + expires + "\"}")
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .body("expiresAt", equalTo(expires))
            .extract()
            .path("token");
    given().auth().oauth2(token).get("/api/v1/models").then().statusCode(200);
    int status = 200;
    for (int i = 0; i < 100 && status == 200; i++) {
      Thread.sleep(100);
      status = given().auth().oauth2(token).get("/api/v1/models").then().extract().statusCode();
    }
    assertEquals(401, status, "an expired token");
  }

  @Test
  void issue_refusesAnExpiryInThePast() throws Exception {
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body("{\"name\":\"late\",\"role\":\"viewer\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(400)
        .body("message", equalTo("expiresAt must be in the future, got 2020-01-01T00:00:00Z"));
  }

  @Test
  void issue_refusesADuplicateName() throws Exception {
    String body = "{\"name\":\"dup-" + System.nanoTime() + "\",\"role\":\"viewer\"}";
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/tokens")
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/tokens")
        .then()
        .statusCode(409)
        .body("code", equalTo("CONFLICT"));
  }

  @Test
  void trustRoot_isPublicAndSignedByTheRootKey() {
    given()
        .get("/api/v1/trust/root")
        .then()
        .statusCode(200)
        .body("payloadType", equalTo("application/vnd.ferry.root+json"))
        .body("signatures.size()", equalTo(1));
  }
}
