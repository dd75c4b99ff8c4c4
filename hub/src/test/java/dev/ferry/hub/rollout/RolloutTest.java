package dev.ferry.hub.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.LogRecords;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.OnnxModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Assigning releases: a device reports itself, receives a signed desired state over MQTT. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class RolloutTest {
  private static final JsonCodec CODEC = FakeDevice.CODEC;

  @Inject Resigner resigner;

  static String publish(String name, String version) throws Exception {
    return publish(name, version, 4);
  }

  /** Publishes {@code y = x·W + b} with an input {@code x} of {@code [1, width]}. */
  static String publish(String name, String version, int width) throws Exception {
    Path model = Files.createTempFile("model", ".onnx");
    OnnxModels.matMulAdd(model, "x", 1, width, 2, 5);
    given()
        .auth()
        .oauth2(Api.admin())
        .multiPart("model", model.toFile())
        .multiPart("version", version)
        .post("/api/v1/models/" + name + "/versions")
        .then()
        .statusCode(201);
    return name;
  }

  static TrustRoot trustRoot() {
    String json = given().get("/api/v1/trust/root").then().extract().asString();
    return CODEC.decode(
        CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class).payloadBytes(),
        TrustRoot.class);
  }

  /** Waits until the hub has stored the device's reported state (its labels with it). */
  static void awaitDevice(String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var response = given().auth().oauth2(Api.admin()).get("/api/v1/devices/" + id);
      if (response.statusCode() == 200 && response.jsonPath().get("reported") != null) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("device " + id + " never appeared");
  }

  @Test
  void aRolloutToAnotherLine_namesTheInterfaceChangeItsDevicesLocalClientsSee() throws Exception {
    String model = publish("iface" + System.nanoTime(), "1.0.0");
    publish(model, "1.1.0");
    publish(model, "2.0.0", 6);
    String a = model + "-a";
    String b = model + "-b";
    String c = model + "-c";
    RolloutCalls.toDevice(model, "1.0.0", a);
    RolloutCalls.toDevice(model, "1.0.0", b);
    // within a line publishing keeps the interface: nothing to name
    String sameLine = RolloutCalls.toDevice(model, "1.1.0", b);
    assertEquals(null, RolloutCalls.get(sameLine).getList("interfaceChanges"));

    String changed = "input 'x' has shape [1, 6], was [1, 4]";
    try (LogRecords taken = LogRecords.on(java.util.logging.Logger.getLogger(""))) {
      // before: the answer said nothing, and the devices' local clients found out from their errors
      String id =
          given()
              .auth()
              .oauth2(Api.token("release-manager"))
              .contentType(ContentType.JSON)
              .body(
                  "{\"model\":\""
                      + model
                      + "\",\"version\":\"2.0.0\",\"devices\":[\""
                      + String.join("\",\"", a, b, c)
                      + "\"]}")
              .post("/api/v1/rollouts")
              .then()
              .statusCode(201)
              .body("interfaceChanges.from", equalTo(List.of("1.0.0", "1.1.0")))
              .body("interfaceChanges.devices", equalTo(List.of(1, 1)))
              .body("interfaceChanges[0].changes", equalTo(List.of(changed)))
              .body("interfaceChanges[1].changes", equalTo(List.of(changed)))
              .extract()
              .path("id");
      assertEquals(
          List.of(
              "WARN rollout "
                  + id
                  + " of "
                  + model
                  + " 2.0.0, made by release-manager, changes the interface of 1.0.0, assigned to 1"
                  + " of its devices, for their local clients: "
                  + changed,
              "WARN rollout "
                  + id
                  + " of "
                  + model
                  + " 2.0.0, made by release-manager, changes the interface of 1.1.0, assigned to 1"
                  + " of its devices, for their local clients: "
                  + changed),
          taken.all().stream()
              .filter(r -> r.getMessage().contains("for their local clients"))
              .filter(r -> r.getMessage().contains(model))
              .map(r -> r.getLevel() + " " + r.getMessage().replaceFirst("manager-\\d+", "manager"))
              .toList());
      // the rollout keeps what it found when it was made: c, assigned nothing, is not counted
      JsonPath stored = RolloutCalls.get(id);
      assertEquals(List.of("1.0.0", "1.1.0"), stored.getList("interfaceChanges.from"));
      assertEquals(List.of(1, 1), stored.getList("interfaceChanges.devices"));
    }
  }

  @Test
  void oneRollout_withoutItsDevices_orAPageOfThem_keepsItsWaves_andBadParametersAreNamed()
      throws Exception {
    String site = "nodev" + System.nanoTime();
    String model = publish("nodev" + System.nanoTime(), "1.0.0");
    try (FakeDevice a = new FakeDevice(Map.of("site", site));
        FakeDevice b = new FakeDevice(Map.of("site", site));
        FakeDevice c = new FakeDevice(Map.of("site", site))) {
      List<String> ids = java.util.stream.Stream.of(a.id, b.id, c.id).sorted().toList();
      for (String id : ids) {
        awaitDevice(id);
      }
      String id =
          RolloutCalls.create(Api.token("release-manager"), model, "1.0.0", "site=" + site, "null");
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + id + "?devices=false")
          .then()
          .statusCode(200)
          .body("devices", org.hamcrest.Matchers.nullValue())
          .body("waveProgress[0].devices", equalTo(3))
          .body("progress.ASSIGNED", equalTo(3));
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + id)
          .then()
          .statusCode(200)
          .header("X-Total-Count", "3")
          .body("devices.id", equalTo(ids));
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + id + "?size=2&page=1")
          .then()
          .statusCode(200)
          .header("X-Total-Count", "3")
          .body("devices.id", equalTo(ids.subList(2, 3)))
          .body("progress.ASSIGNED", equalTo(3));
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + id + "?deviceState=assigned&size=1")
          .then()
          .statusCode(200)
          .header("X-Total-Count", "3")
          .body("devices.id", equalTo(ids.subList(0, 1)));
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + id + "?deviceState=FAILED")
          .then()
          .statusCode(200)
          .header("X-Total-Count", "0")
          .body("devices", org.hamcrest.Matchers.hasSize(0));
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + id + "?devices=maybe")
          .then()
          .statusCode(400)
          .body("message", equalTo("devices: must be true or false, got 'maybe'"));
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + id + "?deviceState=broken")
          .then()
          .statusCode(400)
          .body(
              "message", org.hamcrest.Matchers.startsWith("deviceState: must be one of [WAITING,"))
          .body("message", org.hamcrest.Matchers.endsWith("got 'broken'"));
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + id + "?size=5000")
          .then()
          .statusCode(400)
          .body("message", equalTo("size: must be a whole number from 1 to 1000, got '5000'"));
    }
  }

  @Test
  void assignedDevices_offlineOrRetrying_areShownSo() throws Exception {
    String site = "away" + System.nanoTime();
    String model = publish("away" + System.nanoTime(), "1.0.0");
    TrustRoot root = trustRoot();
    try (FakeDevice here = new FakeDevice(Map.of("site", site));
        FakeDevice away = new FakeDevice(Map.of("site", site))) {
      awaitDevice(here.id);
      awaitDevice(away.id);
      here.presence(true);
      away.presence(false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (online(away.id) || !online(here.id)) {
        assertTrue(System.nanoTime() < deadline, "the hub never saw the devices' presence");
        Thread.sleep(50);
      }
      String id =
          RolloutCalls.create(Api.token("release-manager"), model, "1.0.0", "site=" + site, "null");
      DesiredState sent = here.next(root);
      String retrying = "UNAVAILABLE: registry unreachable; retrying";
      here.reportOutcome(root, sent, model, ModelStatus.PENDING, retrying);
      String hereReason = "devices.find { it.id == '" + here.id + "' }.reason";
      io.restassured.path.json.JsonPath rollout = RolloutCalls.get(id);
      while (rollout.get(hereReason) == null) {
        assertTrue(System.nanoTime() < deadline + 10_000_000_000L, rollout.prettify());
        Thread.sleep(50);
        rollout = RolloutCalls.get(id);
      }
      assertEquals(retrying, rollout.getString(hereReason), "an assigned device says why it waits");
      here.reportOutcome(root, sent, model, ModelStatus.ACTIVE, null);
      while (rollout.get("progress.ACTIVE") == null) {
        assertTrue(System.nanoTime() < deadline + 10_000_000_000L, rollout.prettify());
        Thread.sleep(50);
        rollout = RolloutCalls.get(id);
      }
      assertEquals(1, rollout.getInt("waveProgress[0].offline"), rollout.prettify());
      assertEquals(
          List.of(false, true),
          List.of(
              rollout.getBoolean("devices.find { it.id == '" + away.id + "' }.online"),
              rollout.getBoolean("devices.find { it.id == '" + here.id + "' }.online")));
      assertTrue(
          rollout.getString("devices.find { it.id == '" + away.id + "' }.lastSeen") != null,
          rollout.prettify());
      assertEquals(
          "ASSIGNED", rollout.getString("devices.find { it.id == '" + away.id + "' }.state"));
    }
  }

  private static boolean online(String device) {
    return given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/devices/" + device)
        .jsonPath()
        .getBoolean("online");
  }

  @Test
  void selectorRollout_sendsEachMatchingDeviceASignedDesiredStateWithAllItsModels()
      throws Exception {
    String site = "s" + System.nanoTime();
    String det = publish("det" + System.nanoTime(), "1.0.0");
    String cls = publish("cls" + System.nanoTime(), "2.0.0");
    TrustRoot root = trustRoot();
    try (FakeDevice device = new FakeDevice(Map.of("site", site, "accel", "cpu"));
        FakeDevice other = new FakeDevice(Map.of("site", "elsewhere"))) {
      awaitDevice(device.id);
      awaitDevice(other.id);
      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/devices?selector=site=" + site)
          .then()
          .statusCode(200)
          .body("id", equalTo(List.of(device.id)))
          .body("[0].labels.accel", equalTo("cpu"));

      String rollout =
          given()
              .auth()
              .oauth2(Api.token("release-manager"))
              .contentType(ContentType.JSON)
              .body(
                  "{\"model\":\""
                      + det
                      + "\",\"version\":\"1.0.0\",\"selector\":\"site="
                      + site
                      + "\"}")
              .post("/api/v1/rollouts")
              .then()
              .statusCode(201)
              .body("devices.id", equalTo(List.of(device.id)))
              .extract()
              .path("id");
      DesiredState first = device.next(root);
      assertEquals(1, first.sequence());
      assertEquals(device.id, first.deviceId());
      ModelAssignment assignment = first.models().get(0);
      ReleaseStatement statement =
          CODEC.decode(
              root.verifier(Role.RELEASE).verify(assignment.release(), PayloadTypes.IN_TOTO),
              ReleaseStatement.class);
      assertEquals(assignment.manifestDigest(), statement.manifestDigest());
      assertEquals(det, statement.predicate().model());

      given()
          .auth()
          .oauth2(Api.admin())
          .contentType(ContentType.JSON)
          .body(
              "{\"model\":\""
                  + cls
                  + "\",\"version\":\"2.0.0\",\"devices\":[\""
                  + device.id
                  + "\"]}")
          .post("/api/v1/rollouts")
          .then()
          .statusCode(201);
      DesiredState second = device.next(root);
      assertEquals(2, second.sequence());
      assertEquals(
          List.of(cls, det), second.models().stream().map(ModelAssignment::name).sorted().toList());
      assertEquals(0, other.desired.size());

      given()
          .auth()
          .oauth2(Api.admin())
          .get("/api/v1/rollouts/" + rollout)
          .then()
          .statusCode(200)
          .body("model", equalTo(det));
    }
  }

  @Test
  void resigner_renewsAStateBeforeItExpiresWithAHigherSequence() throws Exception {
    String det = publish("det" + System.nanoTime(), "1.0.0");
    TrustRoot root = trustRoot();
    try (FakeDevice device = new FakeDevice(Map.of("site", "x"))) {
      given()
          .auth()
          .oauth2(Api.admin())
          .contentType(ContentType.JSON)
          .body(
              "{\"model\":\""
                  + det
                  + "\",\"version\":\"1.0.0\",\"devices\":[\""
                  + device.id
                  + "\"]}")
          .post("/api/v1/rollouts")
          .then()
          .statusCode(201);
      DesiredState first = device.next(root);
      int renewed = resigner.resignDue(first.expiresAt().minusSeconds(60));
      assertTrue(renewed >= 1);
      DesiredState renewedState = device.next(root);
      assertEquals(first.sequence() + 1, renewedState.sequence());
      assertTrue(renewedState.expiresAt().isAfter(first.expiresAt()));
      assertEquals(first.models(), renewedState.models());
    }
  }

  @Test
  void aRevokedDevice_isNeverSelected_andARolloutNamingItIsRefused() throws Exception {
    String site = "revoked" + System.nanoTime();
    String model = publish("rev" + System.nanoTime(), "1.0.0");
    try (FakeDevice kept = new FakeDevice(Map.of("site", site));
        FakeDevice revoked = new FakeDevice(Map.of("site", site))) {
      awaitDevice(kept.id);
      awaitDevice(revoked.id);
      given()
          .auth()
          .oauth2(Api.admin())
          .post("/api/v1/devices/" + revoked.id + "/revoke")
          .then()
          .statusCode(200);

      String rollout = RolloutCalls.create(Api.admin(), model, "1.0.0", "site=" + site, "{}");
      assertEquals(List.of(kept.id), RolloutCalls.get(rollout).getList("devices.id"));
      given()
          .auth()
          .oauth2(Api.admin())
          .contentType(ContentType.JSON)
          .body(
              "{\"model\":\""
                  + model
                  + "\",\"version\":\"1.0.0\",\"devices\":[\""
                  + kept.id
                  + "\",\""
                  + revoked.id
                  + "\"]}")
          .post("/api/v1/rollouts")
          .then()
          .statusCode(422)
          .body(
              "message",
              equalTo(
                  "devices names revoked devices, which no desired state reaches: ['"
                      + revoked.id
                      + "']"));
    }
  }

  @Test
  void rollout_answersMalformedBodiesWithTheErrorBody() {
    given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body("{\"model\": ")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_REQUEST"));
    given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body("{\"model\":\"x\",\"version\":\"1.0.0\"}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(400)
        .body("message", equalTo("devices or selector must be given, not both and not neither"));
  }

  @Test
  void rollout_namesBadRequests() {
    given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body("{\"model\":\"nope\",\"version\":\"1.0.0\",\"devices\":[\"a\"]}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(404)
        .body("message", equalTo("model 'nope' has no version '1.0.0'"));
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .contentType(ContentType.JSON)
        .body("{\"model\":\"nope\",\"version\":\"1.0.0\",\"devices\":[\"a\"]}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/devices?selector=site=>x")
        .then()
        .statusCode(400)
        .body("message", equalTo("selector has a requirement that does not parse: 'site=>x'"));
  }
}
