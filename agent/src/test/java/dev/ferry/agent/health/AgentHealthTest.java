package dev.ferry.agent.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentHealthTest {
  @Test
  void live_answersUp() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void ready_namesFreshnessInACheckThatStaysUp() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'desired state freshness' }.status", equalTo("UP"));
  }

  @Test
  void ready_showsTheUsableProvidersAndWhyAPreferredOneIsNot() {
    // the test profile prefers CUDA, which the CPU build of ONNX Runtime does not offer
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'execution providers' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'execution providers' }.data.usable", equalTo("CPU"))
        .body(
            "checks.find { it.name == 'execution providers' }.data.'unusable.CUDA'",
            equalTo("not in this ONNX Runtime build"));
  }

  @Test
  void ready_answersUp() {
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }
}
