package dev.ferry.hub.rollout;

import static io.restassured.RestAssured.given;

import dev.ferry.hub.Api;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The rollout API as the tests call it. */
final class RolloutCalls {
  private RolloutCalls() {}

  /** Creates a rollout of a version to a selector's devices; returns its id. */
  static String create(
      String token, String model, String version, String selector, String strategy) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(
            "{\"model\":\""
                + model
                + "\",\"version\":\""
                + version
                + "\",\"selector\":\""
                + selector
                + "\",\"strategy\":"
                + strategy
                + "}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Creates a rollout of a version to one device, as an admin; returns its id. */
  static String toDevice(String model, String version, String device) {
    return given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body(
            "{\"model\":\""
                + model
                + "\",\"version\":\""
                + version
                + "\",\"devices\":[\""
                + device
                + "\"]}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** One rollout with its devices. */
  static JsonPath get(String id) {
    return given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/rollouts/" + id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
