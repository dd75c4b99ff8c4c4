package dev.ferry.hub.rollout;

import static dev.ferry.hub.rollout.CapturePolicyRolloutTest.annotations;
import static dev.ferry.hub.rollout.CapturePolicyRolloutTest.json;
import static dev.ferry.hub.rollout.CapturePolicyRolloutTest.rollout;
import static dev.ferry.hub.rollout.CapturePolicyRolloutTest.sample;
import static dev.ferry.hub.rollout.CapturePolicyRolloutTest.setPolicy;
import static dev.ferry.hub.rollout.CapturePolicyRolloutTest.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.protocol.capture.CapturePolicy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A device that went through several rollouts while offline still delivers what it captured under
 * each version a rollout assigned it, once, under the policy of that rollout or release; a version
 * no rollout assigned it stays refused.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class CaptureOfflineRolloutsTest {

  @Test
  void samplesOfEveryVersionOnceAssigned_areStoredOnceUnderTheirPolicy() throws Exception {
    String det = RolloutTest.publish("cap" + System.nanoTime(), "1.0.0");
    for (String version : List.of("1.0.1", "1.0.2", "1.0.3")) {
      RolloutTest.publish(det, version);
    }
    try (FakeDevice device = new FakeDevice(Map.of("site", "s" + System.nanoTime()))) {
      RolloutTest.awaitDevice(device.id);
      String first = rollout(det, "1.0.0", device.id);
      CapturePolicy underFirst = CapturePolicy.sampling(1, 100, 100_000);
      setPolicy("/api/v1/rollouts/" + first + "/capture-policy", underFirst);
      CapturePolicy forSecond = CapturePolicy.sampling(0.5, 50, 50_000);
      setPolicy("/api/v1/models/" + det + "/versions/1.0.1/captures/policy", forSecond);
      rollout(det, "1.0.1", device.id);
      rollout(det, "1.0.2", device.id);

      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      upload(device, sample("a", det, "1.0.0", now), sample("b", det, "1.0.1", now))
          .statusCode(200)
          .body("stored", equalTo(List.of("a", "b")));
      upload(device, sample("a", det, "1.0.0", now))
          .statusCode(200)
          .body("stored", equalTo(List.of("a")));
      upload(device, sample("c", det, "1.0.3", now))
          .statusCode(422)
          .body(
              "message",
              equalTo(
                  "capture upload refused, nothing stored: samples[0].version: device '"
                      + device.id
                      + "' was never assigned model '"
                      + det
                      + "' version '1.0.3'"))
          .body("details.refused", equalTo(List.of("c")));

      LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
      pack(det, "1.0.0", day).body("samples", equalTo(List.of(1)));
      Map<String, String> underRollout = annotations(det, "1.0.0-" + day);
      assertEquals(json(underFirst), underRollout.get("dev.ferry.capture.policy"));
      assertEquals("rollout", underRollout.get("dev.ferry.capture.policy.scope"));
      assertEquals(first, underRollout.get("dev.ferry.capture.policy.rollout"));
      pack(det, "1.0.1", day).body("samples", equalTo(List.of(1)));
      Map<String, String> underRelease = annotations(det, "1.0.1-" + day);
      assertEquals(json(forSecond), underRelease.get("dev.ferry.capture.policy"));
      assertEquals("release", underRelease.get("dev.ferry.capture.policy.scope"));
      assertNull(underRelease.get("dev.ferry.capture.policy.rollout"));
    }
  }

  private static ValidatableResponse pack(String model, String version, LocalDate day) {
    return given()
        .auth()
        .oauth2(Api.token("release-manager"))
        .post("/api/v1/models/" + model + "/versions/" + version + "/captures/pack?day=" + day)
        .then()
        .statusCode(200);
  }
}
