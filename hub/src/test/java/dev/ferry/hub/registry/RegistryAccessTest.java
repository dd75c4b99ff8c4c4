package dev.ferry.hub.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.broker.Enrolled;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The embedded registry serves enrolled devices and API tokens only. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class RegistryAccessTest {
  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withoutCredentials_401WithABasicChallengeAndADistributionError() {
    given()
        .get("/v2/")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Basic realm=\"ferry\"")
        .header("Docker-Distribution-API-Version", "registry/2.0")
        .body("errors[0].code", equalTo("UNAUTHORIZED"))
        .body(
            "errors[0].message",
            equalTo(
                "authentication required: an enrolled device's id and MQTT password (Basic), or"
                    + " an API token (Bearer)"));
    given().get("/v2/models/any/manifests/1.0.0").then().statusCode(401);
  }

  @Test
  void anEnrolledDevicesBasicCredential_isServed() {
    Enrolled device = Enrolled.device("pull-" + System.nanoTime());
    given().header("Authorization", device.basic()).get("/v2/").then().statusCode(200);
  }

  @Test
  void aWrongPasswordOrAnUnknownDevice_is401() {
    Enrolled device = Enrolled.device("pull-" + System.nanoTime());
    for (String header :
        new String[] {
          basic(device.id(), "fdp_wrong"),
          basic("nobody-" + System.nanoTime(), device.password()),
          "Basic not-base64!",
          "Bearer fat_unknown"
        }) {
      given()
          .header("Authorization", header)
          .get("/v2/")
          .then()
          .statusCode(401)
          .header("WWW-Authenticate", "Basic realm=\"ferry\"")
          .body(
              "errors[0].message",
              equalTo(
                  "the credential was refused: use an enrolled device's id and MQTT password, or"
                      + " an API token"));
    }
  }

  @Test
  void anApiToken_isServed() {
    given().auth().oauth2(Api.token("viewer")).get("/v2/").then().statusCode(200);
    given().auth().oauth2(Api.admin()).get("/v2/").then().statusCode(200);
  }

  @Test
  void aRevokedDevice_isRefused() {
    Enrolled device = Enrolled.device("pull-" + System.nanoTime());
    given()
        .auth()
        .oauth2(Api.admin())
        .post("/api/v1/devices/" + device.id() + "/revoke")
        .then()
        .statusCode(200);
    given().header("Authorization", device.basic()).get("/v2/").then().statusCode(401);
  }
}
