package dev.ferry.hub.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.json.JsonCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Policy manual: a device waits PENDING, asking again, until an admin accepts it. */
@QuarkusTest
@TestProfile(ManualEnrollmentProfile.class)
class ManualEnrollmentTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject DeviceAccess access;

  private static String device(String deviceId, String field) {
    return given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/devices/" + deviceId)
        .then()
        .statusCode(200)
        .extract()
        .path(field);
  }

  private static Response accept(String token, String deviceId) {
    return given().auth().oauth2(token).post("/api/v1/devices/" + deviceId + "/accept");
  }

  @Test
  void aDevice_staysPendingWithoutUsingMoreOfItsToken_untilAnAdminAcceptsIt() {
    String deviceId = "held-" + System.nanoTime();
    String token = EnrollmentApiTest.token("{\"labels\":{\"site\":\"hamburg\"},\"uses\":1}");
    TestCsr csr = TestCsr.of(deviceId);

    for (int poll = 0; poll < 2; poll++) {
      EnrollmentApiTest.enroll(token, deviceId, csr.pem())
          .then()
          .statusCode(202)
          .body("status", equalTo("PENDING"))
          .body("certificate", nullValue())
          .body("mqttPassword", nullValue());
    }
    assertEquals("PENDING", device(deviceId, "enrollment.state"));
    assertEquals("hamburg", device(deviceId, "hubLabels.site"));
    assertFalse(access.accepted(deviceId));
    EnrollmentApiTest.enroll(token, deviceId, TestCsr.of(deviceId).pem())
        .then()
        .statusCode(409)
        .body(
            "message",
            equalTo("deviceId '" + deviceId + "' is enrolled already, with another token or key"));

    accept(Api.token("release-manager"), deviceId).then().statusCode(403);
    accept(Api.admin(), deviceId)
        .then()
        .statusCode(200)
        .body("id", equalTo(deviceId))
        .body("enrollment.state", equalTo("ACCEPTED"))
        .body("enrollment.certificateSerial", nullValue());
    assertTrue(access.accepted(deviceId));

    Response issued = EnrollmentApiTest.enroll(token, deviceId, csr.pem());
    issued.then().statusCode(201).body("status", equalTo("ACCEPTED"));
    DeviceCredentials credentials = CODEC.decode(issued.asByteArray(), DeviceCredentials.class);
    assertEquals(
        csr.keys().getPublic(), Pem.certificates(credentials.certificate()).get(0).getPublicKey());
    assertTrue(
        access.authenticate(deviceId, credentials.mqttPassword().getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        Pem.certificates(credentials.certificate()).get(0).getSerialNumber().toString(16),
        device(deviceId, "enrollment.certificateSerial"));
    // asked again with its token and key (the answer was lost): issued again, still ACCEPTED
    EnrollmentApiTest.enroll(token, deviceId, csr.pem())
        .then()
        .statusCode(201)
        .body("status", equalTo("ACCEPTED"));
  }

  @Test
  void accepting_needsAPendingDevice() {
    String deviceId = "twice-" + System.nanoTime();
    accept(Api.admin(), deviceId)
        .then()
        .statusCode(404)
        .body("message", equalTo("device '" + deviceId + "' never asked to enroll"));
    String token = EnrollmentApiTest.token("{\"deviceId\":\"" + deviceId + "\"}");
    EnrollmentApiTest.enroll(token, deviceId, TestCsr.of(deviceId).pem()).then().statusCode(202);
    accept(Api.admin(), deviceId).then().statusCode(200);

    accept(Api.admin(), deviceId)
        .then()
        .statusCode(409)
        .body("message", equalTo("device '" + deviceId + "' is ACCEPTED, not PENDING"));
  }
}
