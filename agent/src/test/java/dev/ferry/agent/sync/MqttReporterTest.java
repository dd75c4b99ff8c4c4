package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

/** Events stay until the hub receipts them and go out again until then. */
class MqttReporterTest {
  private static final JsonCodec CODEC = new JsonCodec();

  private final TestClock clock = new TestClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final List<String> sent = new ArrayList<>();
  private boolean up = true;
  private final MqttReporter reporter =
      new MqttReporter(
          new MqttReporter.Link() {
            @Override
            public boolean up() {
              return up;
            }

            @Override
            public void publish(Channel channel, byte[] payload) throws MqttException {
              if (!up) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
              }
              sent.add(CODEC.decode(payload, DeviceEvent.class).id());
            }
          },
          3,
          clock);

  private static DeviceEvent event(String id) {
    return new DeviceEvent(
        id, "edge-1", Instant.EPOCH, EventType.DESIRED_ACCEPTED, 1, null, null, null, null, null);
  }

  @Test
  void anEventTheBrokerTook_staysUntilTheHubsReceiptNamesIt() {
    // before the fix an event left the queue on the broker's acknowledgement, and a broker without
    // the hub's subscription (Mosquitto after a restart) dropped it
    reporter.event(event("e1"));
    reporter.event(event("e2"));
    assertEquals(List.of("e1", "e2"), sent);
    assertEquals(2, reporter.waiting());
    reporter.receipt(List.of("e1"));
    assertEquals(1, reporter.waiting());
    reporter.receipt(List.of("e2", "e9"));
    reporter.flush();
    assertEquals(0, reporter.waiting());
    assertEquals(List.of("e1", "e2"), sent, "nothing sent again");
  }

  @Test
  void anEventNotReceipted_isSentAgainOnReconnectAndAfterTheResendDelay() {
    reporter.event(event("e1"));
    clock.advance(Duration.ofSeconds(MqttReporter.RESEND_AFTER_SECONDS - 1));
    reporter.event(event("e2"));
    reporter.flush();
    assertEquals(List.of("e1", "e2"), sent);
    reporter.reconnected();
    assertEquals(List.of("e1", "e2", "e1", "e2"), sent);
    reporter.receipt(List.of("e2"));
    clock.advance(Duration.ofSeconds(MqttReporter.RESEND_AFTER_SECONDS));
    reporter.flush();
    assertEquals(List.of("e1", "e2", "e1", "e2", "e1"), sent);
  }

  @Test
  void aFullQueue_dropsTheOldestEvent() {
    up = false;
    for (String id : List.of("e1", "e2", "e3", "e4")) {
      reporter.event(event(id));
    }
    assertEquals(3, reporter.waiting());
    up = true;
    reporter.reconnected();
    assertEquals(List.of("e2", "e3", "e4"), sent);
  }
}
