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
