package dev.ferry.hub.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Capture policies per version and per rollout reach devices in re-signed desired states at once,
 * and the hub takes uploads only for what a device's policy allows.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class CapturePolicyRolloutTest {
  private static final JsonCodec CODEC = FakeDevice.CODEC;
  private static final byte[] DATA = {0, 0, 0x40, 0x40, 0, 0, 0, 0, 0, 0, 0, 0};

  @Test
  void versionPolicy_reachesItsDevicesAtOnceAndUploadsAreCheckedAgainstIt() throws Exception {
    String det = RolloutTest.publish("cap" + System.nanoTime(), "1.0.0");
    RolloutTest.publish(det, "1.1.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice device = new FakeDevice(Map.of("site", "s" + System.nanoTime()))) {
      RolloutTest.awaitDevice(device.id);
      rollout(det, device.id);
      DesiredState first = device.next(root);
      assertNull(first.models().get(0).capture());

      Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS).plusSeconds(60);
      upload(device, sample("a", det, "1.0.0", now))
          .statusCode(422)
          .body(
              "message",
              equalTo(
                  "capture upload refused, nothing stored: samples[0].version: capture is off for"
                      + " model '"
                      + det
                      + "' version '1.0.0' on device '"
                      + device.id
                      + "'"));

      CapturePolicy policy = CapturePolicy.sampling(0.5, 3, 1 << 20);
      setPolicy("/api/v1/models/" + det + "/versions/1.0.0/captures/policy", policy)
          .body("devicesResigned", equalTo(1));
      DesiredState second = device.next(root);
      assertEquals(first.sequence() + 1, second.sequence());
      assertEquals(policy, second.models().get(0).capture());

      upload(device, sample("a", det, "1.0.0", now))
          .statusCode(200)
          .body("stored", equalTo(List.of("a")));
      upload(device, sample("b", det, "1.0.0", now), sample("c", det, "1.1.0", now))
          .statusCode(422)
          .body("code", equalTo("UNPROCESSABLE"))
          .body(
              "message",
              equalTo(
                  "capture upload refused, nothing stored: samples[1].version: device '"
                      + device.id
                      + "' was never assigned model '"
                      + det
                      + "' version '1.1.0'"))
          .body("details.refused", equalTo(List.of("c")));
      upload(device, sample("b", det, "1.0.0", now), sample("d", det, "1.0.0", now))
          .statusCode(200);
      upload(device, sample("e", det, "1.0.0", now))
          .statusCode(422)
          .body(
              "message",
              equalTo(
                  "capture upload refused, nothing stored: samples[0].capturedAt: device '"
                      + device.id
                      + "' is over maxPerHour=3 for model '"
                      + det
                      + "' in the hour of "
                      + now))
          .body("details.refused", equalTo(List.of("e")));
      // a resend of what was stored is acknowledged, whatever the caps
      upload(device, sample("a", det, "1.0.0", now)).statusCode(200);
      String malformed =
          new String(CODEC.encode(upload(sample("f", det, "1.0.0", now))), StandardCharsets.UTF_8)
              .replace(Base64.getEncoder().encodeToString(DATA), "AAAA");
      given()
          .header("Authorization", device.basic())
          .contentType(ContentType.JSON)
          .body(malformed)
          .post("/api/v1/devices/" + device.id + "/captures")
          .then()
          .statusCode(400)
          .body(
              "message",
              equalTo(
                  "ferry.capture/v1: samples[0].tensors[0].data must hold 12 bytes for FP32[1, 3],"
                      + " got 3"));

      LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
      Map<String, Object> packed =
          pack(det, day)
              .body("samples", equalTo(List.of(3)))
              .body("devices[0]", equalTo(List.of(device.id)))
              .extract()
              .jsonPath()
              .getMap("[0]");
      // before: the pack answered its times to the nanosecond, the list to the database's
      // microsecond
      Map<String, Object> listed =
          given()
              .auth()
              .oauth2(Api.token("viewer"))
              .get("/api/v1/models/" + det + "/versions/1.0.0/captures")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getMap("[0]");
      for (String time : List.of("from", "to", "createdAt")) {
        assertEquals(listed.get(time), packed.get(time), time);
      }

      // cleared: what was captured under the policy and not yet uploaded is refused (the agent
      // withholds it as the re-signed state arrives); a resend of what was stored is acknowledged
      given()
          .auth()
          .oauth2(Api.token("release-manager"))
          .delete("/api/v1/models/" + det + "/versions/1.0.0/captures/policy")
          .then()
          .statusCode(200);
      assertNull(device.next(root).models().get(0).capture());
      upload(device, sample("g", det, "1.0.0", now))
          .statusCode(422)
          .body("message", containsString("capture is off for model '" + det + "'"));
      upload(device, sample("a", det, "1.0.0", now))
          .statusCode(200)
          .body("stored", equalTo(List.of("a")));
    }
  }

  @Test
  void rolloutPolicy_winsForItsDevicesAndClearingItFallsBackToTheVersions() throws Exception {
    String det = RolloutTest.publish("cap" + System.nanoTime(), "1.0.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice one = new FakeDevice(Map.of("site", "a"));
        FakeDevice two = new FakeDevice(Map.of("site", "b"))) {
      RolloutTest.awaitDevice(one.id);
      RolloutTest.awaitDevice(two.id);
      String first = rollout(det, one.id);
      one.next(root);
      rollout(det, two.id);
      two.next(root);

      CapturePolicy forVersion = CapturePolicy.sampling(0.01, 10, 1000);
      setPolicy("/api/v1/models/" + det + "/versions/1.0.0/captures/policy", forVersion)
          .body("devicesResigned", equalTo(2));
      assertEquals(forVersion, one.next(root).models().get(0).capture());
      assertEquals(forVersion, two.next(root).models().get(0).capture());

      CapturePolicy forRollout = CapturePolicy.sampling(1, 100, 100_000);
      setPolicy("/api/v1/rollouts/" + first + "/capture-policy", forRollout)
          .body("devicesResigned", equalTo(1));
      assertEquals(forRollout, one.next(root).models().get(0).capture());
      upload(one, sample("x", det, "1.0.0", Instant.now())).statusCode(200);

      given()
          .auth()
          .oauth2(Api.token("release-manager"))
          .delete("/api/v1/rollouts/" + first + "/capture-policy")
          .then()
          .statusCode(200)
          .body("devicesResigned", equalTo(1));
      assertEquals(forVersion, one.next(root).models().get(0).capture());
      assertEquals(0, two.desired.size());
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + first + "/capture-policy")
          .then()
          .statusCode(404)
          .body("message", equalTo("rollout '" + first + "' has no capture policy"));
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/no-such/capture-policy")
          .then()
          .statusCode(404)
          .body("message", equalTo("no rollout 'no-such'"));
    }
  }

  @Test
  void pack_makesOneDatasetPerPolicyAndNamesThePolicyTheSamplesCameUnder() throws Exception {
    String det = RolloutTest.publish("cap" + System.nanoTime(), "1.0.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice one = new FakeDevice(Map.of("site", "a"));
        FakeDevice two = new FakeDevice(Map.of("site", "b"))) {
      RolloutTest.awaitDevice(one.id);
      RolloutTest.awaitDevice(two.id);
      String first = rollout(det, one.id);
      one.next(root);
      rollout(det, two.id);
      two.next(root);
      CapturePolicy forVersion = CapturePolicy.sampling(0.01, 10, 1000);
      setPolicy("/api/v1/models/" + det + "/versions/1.0.0/captures/policy", forVersion);
      CapturePolicy forRollout = CapturePolicy.sampling(1, 100, 100_000);
      setPolicy("/api/v1/rollouts/" + first + "/capture-policy", forRollout);
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      upload(one, sample("r1", det, "1.0.0", now), sample("r2", det, "1.0.0", now.plusMillis(2)))
          .statusCode(200);
      upload(two, sample("v1", det, "1.0.0", now.plusMillis(1))).statusCode(200);

      LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
      String part1 = "1.0.0-" + day;
      pack(det, day)
          .body("name", equalTo(List.of(part1, part1 + "-2")))
          .body("samples", equalTo(List.of(2, 1)))
          .body("devices", equalTo(List.of(List.of(one.id), List.of(two.id))));

      Map<String, String> underRollout = annotations(det, part1);
      assertEquals(json(forRollout), underRollout.get("dev.ferry.capture.policy"));
      assertEquals("rollout", underRollout.get("dev.ferry.capture.policy.scope"));
      assertEquals(first, underRollout.get("dev.ferry.capture.policy.rollout"));
      assertEquals("2", underRollout.get("dev.ferry.capture.samples"));
      Map<String, String> underVersion = annotations(det, part1 + "-2");
      assertEquals(json(forVersion), underVersion.get("dev.ferry.capture.policy"));
      assertEquals("release", underVersion.get("dev.ferry.capture.policy.scope"));
      assertNull(underVersion.get("dev.ferry.capture.policy.rollout"));
      assertNotEquals(
          underRollout.get("dev.ferry.capture.policy.digest"),
          underVersion.get("dev.ferry.capture.policy.digest"));
      assertTrue(
          underVersion.get("dev.ferry.capture.policy.digest").matches("sha256:[0-9a-f]{64}"),
          underVersion.toString());

      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/models/" + det + "/versions/1.0.0/captures")
          .then()
          .statusCode(200)
          .body("name", equalTo(List.of(part1, part1 + "-2")))
          .body("capturedUnder.scope", equalTo(List.of("rollout", "release")))
          .body("capturedUnder.rollout", equalTo(Arrays.asList(first, null)))
          .body(
              "capturedUnder.digest",
              equalTo(
                  List.of(
                      underRollout.get("dev.ferry.capture.policy.digest"),
                      underVersion.get("dev.ferry.capture.policy.digest"))))
          .body("capturedUnder.policy.maxPerHour", equalTo(List.of(100, 10)));
    }
  }

  static Map<String, String> annotations(String model, String dataset) {
    byte[] manifest =
        given()
            .auth()
            .oauth2(Api.admin())
            .accept(MediaTypes.OCI_MANIFEST)
            .get("/v2/models/" + model + "/captures/manifests/" + dataset)
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    return CODEC.decode(manifest, Manifest.class).annotations();
  }

  static String json(CapturePolicy policy) {
    return new String(CODEC.encode(policy), StandardCharsets.UTF_8);
  }

  private static String rollout(String model, String device) {
    return rollout(model, "1.0.0", device);
  }

  static String rollout(String model, String version, String device) {
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

  private static ValidatableResponse pack(String model, LocalDate day) {
    return given()
        .auth()
        .oauth2(Api.token("release-manager"))
        .post("/api/v1/models/" + model + "/versions/1.0.0/captures/pack?day=" + day)
        .then()
        .statusCode(200);
  }

  static ValidatableResponse setPolicy(String path, CapturePolicy policy) {
    return given()
        .auth()
        .oauth2(Api.token("release-manager"))
        .contentType(ContentType.JSON)
        .body(CODEC.encode(policy))
        .put(path)
        .then()
        .statusCode(200);
  }

  static ValidatableResponse upload(FakeDevice device, CaptureSample... samples) {
    return given()
        .header("Authorization", device.basic())
        .contentType(ContentType.JSON)
        .body(CODEC.encode(upload(samples)))
        .post("/api/v1/devices/" + device.id + "/captures")
        .then();
  }

  private static CaptureUpload upload(CaptureSample... samples) {
    return new CaptureUpload(List.of(samples));
  }

  static CaptureSample sample(String id, String model, String version, Instant at) {
    return new CaptureSample(
        id,
        model,
        version,
        at,
        false,
        List.of(new CapturedTensor("x", false, Datatype.FP32, List.of(1L, 3L), DATA)));
  }
}
