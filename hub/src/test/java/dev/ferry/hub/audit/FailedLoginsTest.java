package dev.ferry.hub.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request whose credentials are refused leaves an audit entry; the credential is not in it. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class FailedLoginsTest {
  @Test
  void refusedTokens_areAuditedWithoutTheToken() throws Exception {
    String path = "/api/v1/models/failed-login-" + System.nanoTime();
    given().auth().oauth2("fy_not-a-token").get(path).then().statusCode(401);
    given().get(path).then().statusCode(401); // no credentials: not a failed login
    List<Map<String, Object>> entries = List.of();
    for (int i = 0; i < 100 && entries.isEmpty(); i++) {
      Thread.sleep(50);
      entries =
          given()
              .auth()
              .oauth2(Api.admin())
              .get("/api/v1/audit?target=" + path)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("$");
    }
    assertEquals(1, entries.size(), entries.toString());
    assertEquals(FailedLogins.ACTOR, entries.get(0).get("actor"));
    assertEquals("401 GET", entries.get(0).get("action"));
    assertEquals("Bearer credentials refused", entries.get(0).get("details"));
  }

  @Test
  void scheme_keepsTheWordOnly() {
    assertEquals("Bearer", FailedLogins.scheme("Bearer fy_secret"));
    assertEquals("Basic", FailedLogins.scheme(" Basic dXNlcjpwYXNz"));
    assertEquals("unknown", FailedLogins.scheme("fy_secret-without-a-scheme-word-at-all"));
  }
}
