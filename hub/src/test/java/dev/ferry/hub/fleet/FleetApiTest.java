package dev.ferry.hub.fleet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.broker.Enrolled;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** The fleet view: devices with labels and telemetry, paging, hub labels, the event log. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class FleetApiTest {
  private static final JsonCodec CODEC = new JsonCodec();

  private final String site = "site" + System.nanoTime();

  private static MqttClient device(String id) throws Exception {
    return Enrolled.device(id).connect();
  }

  private void report(MqttClient client, String id) throws Exception {
    report(client, id, null);
  }

  private void report(MqttClient client, String id, String freshness) throws Exception {
    report(client, id, freshness, null);
  }

  private void report(
      MqttClient client, String id, String freshness, Map<String, String> providerProblems)
      throws Exception {
    ReportedState state =
        new ReportedState(
            id,
            Instant.now(),
            0,
            "0.1.0",
            Map.of("site", site, "tier", "edge"),
            List.of("CPU"),
            List.of(),
            1,
            freshness,
            null,
            providerProblems);
    client.publish("ferry/v1/devices/" + id + "/reported", CODEC.encode(state), 1, true);
  }

  private static void awaitCount(String path, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      int size =
          given()
              .auth()
              .oauth2(Api.admin())
              .get(path)
              .then()
              .extract()
              .jsonPath()
              .getList("$")
              .size();
      if (size >= count) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(path + " never listed " + count);
  }

  @Test
  void devices_arePagedBySelectorAndHubLabelsOverrideReportedOnes() throws Exception {
    for (int i = 0; i < 5; i++) {
      MqttClient client = device(site + "-d" + i);
      try {
        report(client, site + "-d" + i);
      } finally {
        client.disconnect();
        client.close();
      }
    }
    String selector = "site=" + site;
    awaitCount("/api/v1/devices?size=1000&selector=" + selector, 5);
    String viewer = Api.token("viewer");
    given()
        .auth()
        .oauth2(viewer)
        .queryParam("selector", selector)
        .queryParam("size", 2)
        .queryParam("page", 2)
        .get("/api/v1/devices")
        .then()
        .statusCode(200)
        .header("X-Total-Count", "5")
        .body("$", hasSize(1))
        .body("[0].id", equalTo(site + "-d4"))
        .body("[0].labels.site", equalTo(site));
    // without a selector, a page of every device, by id
    List<String> every =
        given().auth().oauth2(viewer).get("/api/v1/devices?size=1000").jsonPath().getList("id");
    int second = every.indexOf(site + "-d1");
    given()
        .auth()
        .oauth2(viewer)
        .queryParam("size", 1)
        .queryParam("page", second)
        .get("/api/v1/devices")
        .then()
        .statusCode(200)
        .header("X-Total-Count", String.valueOf(every.size()))
        .body("[0].id", equalTo(site + "-d1"))
        .body("[0].labels.site", equalTo(site));
    given()
        .auth()
        .oauth2(viewer)
        .queryParam("size", 0)
        .get("/api/v1/devices")
        .then()
        .statusCode(400)
        .body("message", equalTo("size: must be a whole number from 1 to 1000, got '0'"));

    given()
        .auth()
        .oauth2(viewer)
        .contentType(ContentType.JSON)
        .body("{\"labels\":{\"tier\":\"canary\"}}")
        .put("/api/v1/devices/" + site + "-d0/labels")
        .then()
        .statusCode(403);
    String manager = Api.token("release-manager");
    given()
        .auth()
        .oauth2(manager)
        .contentType(ContentType.JSON)
        .body("{\"labels\":{\"tier\":\"canary\"}}")
        .put("/api/v1/devices/" + site + "-d0/labels")
        .then()
        .statusCode(200)
        .body("labels.tier", equalTo("canary"))
        .body("labels.site", equalTo(site))
        .body("reportedLabels.tier", equalTo("edge"))
        .body("hubLabels.tier", equalTo("canary"));
    given()
        .auth()
        .oauth2(viewer)
        .queryParam("selector", selector + ",tier=canary")
        .get("/api/v1/devices")
        .then()
        .statusCode(200)
        .body("$", hasSize(1))
        .body("[0].id", equalTo(site + "-d0"));
    given()
        .auth()
        .oauth2(manager)
        .contentType(ContentType.JSON)
        .body("{\"labels\":{\"bad key!\":\"x\"}}")
        .put("/api/v1/devices/" + site + "-d0/labels")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(manager)
        .contentType(ContentType.JSON)
        .body("{\"labels\":{}}")
        .put("/api/v1/devices/nobody-" + site + "/labels")
        .then()
        .statusCode(404);
  }

  @Inject FleetGauges gauges;

  @Test
  void prometheus_countsDevicesKnownAndOnline() throws Exception {
    MqttClient client = device(site + "-prom");
    try {
      report(client, site + "-prom");
      awaitCount("/api/v1/devices?size=1000&selector=site=" + site, 1);
    } finally {
      client.disconnect();
      client.close();
    }
    gauges.refresh();
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    double known =
        text.lines()
            .filter(l -> l.startsWith("ferry_devices_known "))
            .mapToDouble(l -> Double.parseDouble(l.substring("ferry_devices_known ".length())))
            .findFirst()
            .orElse(-1);
    org.junit.jupiter.api.Assertions.assertTrue(known >= 1, "ferry_devices_known " + known);
  }

  @Test
  void staleDevices_areShownAndCounted() throws Exception {
    String id = site + "-stale";
    Enrolled enrolled = Enrolled.device(id);
    MqttClient client = enrolled.connect();
    try {
      report(client, id, ReportedState.STALE);
      awaitCount("/api/v1/devices?size=1000&selector=site=" + site, 1);
    } finally {
      client.disconnect();
      client.close();
    }
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/devices/" + id)
        .then()
        .statusCode(200)
        .body("reported.freshness", org.hamcrest.Matchers.equalTo("STALE"));
    gauges.refresh();
    double stale = staleGauge();
    org.junit.jupiter.api.Assertions.assertTrue(stale >= 1, "ferry_devices_stale " + stale);

    // the same device reports itself fresh again: the next refresh reads that report
    MqttClient again = enrolled.connect();
    try {
      report(again, id, null);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (given()
              .auth()
              .oauth2(Api.admin())
              .get("/api/v1/devices/" + id)
              .jsonPath()
              .get("reported.freshness")
          != null) {
        org.junit.jupiter.api.Assertions.assertTrue(
            System.nanoTime() < deadline, "the fresh report was not stored");
        Thread.sleep(50);
      }
    } finally {
      again.disconnect();
      again.close();
    }
    gauges.refresh();
    org.junit.jupiter.api.Assertions.assertEquals(stale - 1, staleGauge());
  }

  private static double staleGauge() {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return text.lines()
        .filter(l -> l.startsWith("ferry_devices_stale "))
        .mapToDouble(l -> Double.parseDouble(l.substring("ferry_devices_stale ".length())))
        .findFirst()
        .orElse(-1);
  }

  @Test
  void usableProvidersAndProviderProblems_areShownOnTheDevice() throws Exception {
    String id = site + "-gpu";
    MqttClient client = device(id);
    try {
      report(client, id, null, Map.of("CUDA", "not in this ONNX Runtime build"));
      awaitCount("/api/v1/devices?size=1000&selector=site=" + site, 1);
    } finally {
      client.disconnect();
      client.close();
    }
    given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/devices/" + id)
        .then()
        .statusCode(200)
        .body("reported.executionProviders", org.hamcrest.Matchers.contains("CPU"))
        .body(
            "reported.providerProblems.CUDA",
            org.hamcrest.Matchers.equalTo("not in this ONNX Runtime build"));
  }

  @Test
  void events_areLoggedOnceAndListedNewestFirst() throws Exception {
    String id = site + "-ev";
    MqttClient client = device(id);
    try {
      report(client, id);
      DeviceEvent accepted =
          new DeviceEvent(
              "e1-" + site,
              id,
              Instant.now().minusSeconds(2),
              EventType.DESIRED_ACCEPTED,
              3,
              null,
              null,
              null,
              null,
              null);
      DeviceEvent failed =
          new DeviceEvent(
              "e2-" + site,
              id,
              Instant.now(),
              EventType.FAILED,
              3,
              "m",
              "1.0.0",
              null,
              null,
              "golden case 0");
      for (DeviceEvent event : List.of(accepted, failed, failed)) {
        client.publish("ferry/v1/devices/" + id + "/events", CODEC.encode(event), 1, false);
      }
      client.publish("ferry/v1/devices/" + id + "/events", "{junk".getBytes(), 1, false);
    } finally {
      client.disconnect();
      client.close();
    }
    awaitCount("/api/v1/events?device=" + id, 2);
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .queryParam("device", id)
        .get("/api/v1/events")
        .then()
        .statusCode(200)
        .body("$", hasSize(2))
        .body("[0].type", equalTo("FAILED"))
        .body("[0].reason", equalTo("golden case 0"))
        .body("[1].type", equalTo("DESIRED_ACCEPTED"))
        .body("[1].model", nullValue());
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .queryParam("model", "m")
        .queryParam("device", id)
        .get("/api/v1/events")
        .then()
        .body("$", hasSize(1));
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .queryParam("limit", "lots")
        .get("/api/v1/events")
        .then()
        .statusCode(400)
        .body("message", equalTo("limit: must be a whole number from 1 to 1000, got 'lots'"));
  }
}
