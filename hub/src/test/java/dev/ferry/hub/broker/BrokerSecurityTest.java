package dev.ferry.hub.broker;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.fleet.DeviceGate;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The embedded broker admits only verified identities, and each only to its own topics. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class BrokerSecurityTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject HubClientOptions hubOptions;
  @Inject DeviceGate gate;

  private static String id(String name) {
    return name + "-" + System.nanoTime();
  }

  private static byte[] reported(String deviceId, String site) {
    return CODEC.encode(
        new ReportedState(
            deviceId,
            Instant.now(),
            0,
            "0.1.0",
            Map.of("site", site),
            List.of("CPU"),
            List.of(),
            1,
            null,
            null,
            null));
  }

  private static String topic(String deviceId, String channel) {
    return "ferry/v1/devices/" + deviceId + "/" + channel;
  }

  private MqttClient hub() throws MqttException {
    MqttClient client =
        new MqttClient(Enrolled.url(), id("ferry-hub-test"), new MemoryPersistence());
    client.connect(hubOptions.create());
    return client;
  }

  private static int refusedConnect(MqttClient client, MqttConnectOptions options) {
    try (client) {
      return assertThrows(MqttException.class, () -> client.connect(options)).getReasonCode();
    } catch (MqttException e) {
      throw new AssertionError(e);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(condition.getAsBoolean(), what);
  }

  private static String site(String deviceId) {
    return given()
        .auth()
        .oauth2(Api.admin())
        .get("/api/v1/devices/" + deviceId)
        .then()
        .extract()
        .path("reportedLabels.site");
  }

  @Test
  void anonymous_isRefusedEvenWithADeviceCertificate() throws Exception {
    Enrolled device = Enrolled.device(id("anon"));
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setSocketFactory(device.options().getSocketFactory());
    assertEquals(
        MqttException.REASON_CODE_FAILED_AUTHENTICATION, refusedConnect(device.client(), options));
  }

  @Test
  void plainTcp_isRefusedWhenNotConfigured() throws Exception {
    Enrolled device = Enrolled.device(id("plain"));
    MqttConnectOptions options = device.options();
    options.setSocketFactory(null);
    MqttClient client =
        new MqttClient(
            "tcp://127.0.0.1:" + HubTestProfile.mqttPort(), device.id(), new MemoryPersistence());
    options.setConnectionTimeout(5);
    assertEquals(MqttException.REASON_CODE_CONNECTION_LOST, refusedConnect(client, options));
  }

  @Test
  void aCertificateFromAnotherCa_isRefusedDespiteTheRightPassword() throws Exception {
    Enrolled device = Enrolled.device(id("foreign"));
    MqttConnectOptions options = device.options();
    options.setSocketFactory(
        device.socketFactory(new TestCa("Other CA").issue(device.id(), List.of())));
    // the handshake fails, so Paho sees the connection drop
    assertEquals(
        MqttException.REASON_CODE_CONNECTION_LOST, refusedConnect(device.client(), options));
    device.connect().disconnect(); // its own certificate works
  }

  @Test
  void aDevice_cannotClaimAnotherDevicesClientIdOrPassword() throws Exception {
    Enrolled a = Enrolled.device(id("claim-a"));
    Enrolled b = Enrolled.device(id("claim-b"));
    MqttConnectOptions asB = a.options();
    asB.setUserName(b.id());
    assertEquals(
        MqttException.REASON_CODE_FAILED_AUTHENTICATION,
        refusedConnect(new MqttClient(Enrolled.url(), b.id(), new MemoryPersistence()), asB));
    assertEquals(
        MqttException.REASON_CODE_FAILED_AUTHENTICATION,
        refusedConnect(
            new MqttClient(Enrolled.url(), b.id(), new MemoryPersistence()), a.options()));
  }

  @Test
  void anEnrolledDevice_reportsAndItsStateIsStored() throws Exception {
    Enrolled device = Enrolled.device(id("stored"));
    MqttClient client = device.connect();
    client.publish(topic(device.id(), "reported"), reported(device.id(), "north"), 1, true);
    client.disconnect();
    client.close();
    await(() -> "north".equals(site(device.id())), "reported state stored");
  }

  @Test
  void deviceA_cannotPublishToBsTopicsNorReadBsDesired() throws Exception {
    Enrolled a = Enrolled.device(id("acl-a"));
    Enrolled b = Enrolled.device(id("acl-b"));
    MqttClient clientB = b.connect();
    BlockingQueue<String> receivedByB = new LinkedBlockingQueue<>();
    clientB.subscribe(
        new String[] {topic(b.id(), "desired")},
        new int[] {1},
        new IMqttMessageListener[] {(t, m) -> receivedByB.add(new String(m.getPayload()))});
    clientB.publish(topic(b.id(), "reported"), reported(b.id(), "home"), 1, true);
    await(() -> "home".equals(site(b.id())), "B's own report stored");

    MqttClient clientA = a.connect();
    BlockingQueue<String> receivedByA = new LinkedBlockingQueue<>();
    tryPublish(clientA, topic(b.id(), "reported"), reported(b.id(), "stolen"));
    clientA = connectedAgain(clientA, a);
    tryPublish(clientA, topic(b.id(), "telemetry"), "{}".getBytes(StandardCharsets.UTF_8));
    clientA = connectedAgain(clientA, a);
    subscribeRefused(clientA, topic(b.id(), "desired"), receivedByA);
    subscribeRefused(clientA, "ferry/v1/devices/+/desired", receivedByA);

    MqttClient hub = hub();
    hub.publish(topic(b.id(), "desired"), "for-b".getBytes(StandardCharsets.UTF_8), 1, false);
    assertEquals("for-b", receivedByB.poll(10, TimeUnit.SECONDS));
    clientA.publish(topic(a.id(), "reported"), reported(a.id(), "a-site"), 1, true);
    await(() -> "a-site".equals(site(a.id())), "A's own report stored after its attempts on B");
    assertEquals("home", site(b.id()));
    assertNull(receivedByA.poll(1, TimeUnit.SECONDS));
    for (MqttClient client : List.of(clientA, clientB, hub)) {
      // no quiescing: A's refused publishes were never acknowledged, and a plain disconnect()
      // waits 30 s for them
      client.disconnectForcibly(0, 1000);
      client.close();
    }
  }

  /** Publishes at QoS 1; the broker refuses without an acknowledgement (or drops the link). */
  private static void tryPublish(MqttClient client, String topic, byte[] payload) {
    try {
      MqttMessage message = new MqttMessage(payload);
      message.setQos(1);
      IMqttDeliveryToken token = client.getTopic(topic).publish(message);
      token.waitForCompletion(1000);
    } catch (MqttException e) {
      // refused: no PUBACK in time, or the connection was closed
    }
  }

  private static MqttClient connectedAgain(MqttClient client, Enrolled device)
      throws MqttException {
    if (client.isConnected()) {
      return client;
    }
    client.close(true);
    return device.connect();
  }

  private static void subscribeRefused(
      MqttClient client, String filter, BlockingQueue<String> received) throws MqttException {
    try {
      var token =
          client.subscribeWithResponse(
              new String[] {filter},
              new int[] {1},
              new IMqttMessageListener[] {(t, m) -> received.add(t)});
      assertEquals(128, token.getGrantedQos()[0], filter);
    } catch (MqttException e) {
      assertEquals(MqttException.REASON_CODE_SUBSCRIBE_FAILED, e.getReasonCode(), filter);
    }
  }

  @Test
  void aRevokedDevice_isDisconnectedAndCannotReconnect() throws Exception {
    Enrolled device = Enrolled.device(id("revoked"));
    MqttClient client = device.connect();
    CompletableFuture<Throwable> lost = new CompletableFuture<>();
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {
            lost.complete(cause);
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    given()
        .auth()
        .oauth2(Api.admin())
        .post("/api/v1/devices/" + device.id() + "/revoke")
        .then()
        .statusCode(200)
        .body("enrollment.state", equalTo("REVOKED"));
    lost.get(10, TimeUnit.SECONDS);
    client.close(true);
    assertEquals(
        MqttException.REASON_CODE_CONNECTION_LOST,
        refusedConnect(device.client(), device.options()));
  }

  @Test
  void aMessageForADeviceNotEnrolled_isNotStoredAndCounted() throws Exception {
    String ghost = id("ghost");
    long before = gate.refused(DeviceGate.Reason.NOT_ENROLLED);
    MqttClient hub = hub();
    hub.publish(topic(ghost, "reported"), reported(ghost, "nowhere"), 1, false);
    await(
        () -> gate.refused(DeviceGate.Reason.NOT_ENROLLED) > before,
        "the refusal is counted in ferry_hub_messages_refused_total");
    given().auth().oauth2(Api.admin()).get("/api/v1/devices/" + ghost).then().statusCode(404);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(
        metrics.contains("ferry_hub_messages_refused_total{reason=\"not_enrolled\"}"), metrics);
    hub.disconnect();
    hub.close();
  }
}
