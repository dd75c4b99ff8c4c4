package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moquette.broker.subscriptions.Topic;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicPolicyTest {
  private static final String A = "edge-a";
  private static final String B = "edge-b";
  private static final String HUB = "ferry-hub";
  private final TopicPolicy policy = new TopicPolicy();

  private static String topic(String device, String channel) {
    return "ferry/v1/devices/" + device + "/" + channel;
  }

  @Test
  void device_writesOnlyItsOwnUpstreamChannels() {
    List<String> channels = List.of("reported", "events", "telemetry", "online");
    for (String channel : channels) {
      assertTrue(policy.mayWrite(A, A, topic(A, channel)), channel);
      assertFalse(policy.mayWrite(A, A, topic(B, channel)), channel);
    }
    assertEquals(4, channels.size());
    assertFalse(policy.mayWrite(A, A, topic(A, "desired")));
    assertFalse(policy.mayWrite(A, A, topic(A, "receipts")));
    assertFalse(policy.mayWrite(A, A, topic(A, "other")));
    assertFalse(policy.mayWrite(A, A, "ferry/v1/devices/" + A));
    assertFalse(policy.mayWrite(A, A, "ferry/v1/fleet"));
  }

  @Test
  void device_readsOnlyItsOwnDesiredAndReceipts() {
    assertTrue(policy.mayRead(A, A, topic(A, "desired")));
    assertFalse(policy.mayRead(A, A, topic(B, "desired")));
    assertTrue(policy.mayRead(A, A, topic(A, "receipts")));
    assertFalse(policy.mayRead(A, A, topic(B, "receipts")));
    assertFalse(policy.mayRead(A, A, topic(A, "reported")));
    assertFalse(policy.mayRead(A, A, topic(A, "telemetry")));
  }

  @Test
  void device_readsTheTrustChainButCannotWriteIt() {
    assertTrue(policy.mayRead(A, A, "ferry/v1/trust/roots"));
    assertFalse(policy.mayRead(A, A, "ferry/v1/trust/#"));
    assertFalse(policy.mayWrite(A, A, "ferry/v1/trust/roots"));
    assertTrue(policy.mayWrite("ferry-hub", "ferry-hub-1", "ferry/v1/trust/roots"));
  }

  @Test
  void device_readsButNeverWritesTheRevocationList() {
    assertTrue(policy.mayRead(A, A, "ferry/v1/trust/revocations"));
    assertFalse(policy.mayRead(A, A, "ferry/v1/trust/#"));
    assertFalse(policy.mayWrite(A, A, "ferry/v1/trust/revocations"));
    assertTrue(policy.mayWrite(HUB, "ferry-hub-1", "ferry/v1/trust/revocations"));
  }

  @Test
  void device_cannotReadThroughWildcardsOrSharedSubscriptions() {
    assertFalse(policy.mayRead(A, A, "ferry/v1/devices/+/desired"));
    assertFalse(policy.mayRead(A, A, "ferry/v1/devices/" + A + "/#"));
    assertFalse(policy.mayRead(A, A, "ferry/v1/#"));
    assertFalse(policy.mayRead(A, A, "#"));
    assertFalse(policy.mayRead(A, A, "+/v1/devices/" + A + "/desired"));
    assertFalse(policy.mayRead(A, A, "$share/g/" + topic(A, "desired")));
    assertFalse(policy.mayRead(A, A, "$share/g/ferry/v1/devices/+/reported"));
  }

  @Test
  void device_cannotWriteThroughWildcards() {
    assertFalse(policy.mayWrite(A, A, "ferry/v1/devices/+/reported"));
    assertFalse(policy.mayWrite(A, A, "#"));
  }

  @Test
  void device_whoseClientIdDiffersFromItsUserIsRefused() {
    assertFalse(policy.mayWrite(A, B, topic(A, "reported")));
    assertFalse(policy.mayRead(A, B, topic(A, "desired")));
  }

  @Test
  void device_withWildcardsInItsNameIsRefused() {
    assertFalse(policy.mayRead("+", "+", "ferry/v1/devices/+/desired"));
    assertFalse(policy.mayWrite("#", "#", "ferry/v1/devices/#/reported"));
  }

  @Test
  void anonymous_isRefusedEverything() {
    assertFalse(policy.mayWrite(null, A, topic(A, "reported")));
    assertFalse(policy.mayRead(null, A, topic(A, "desired")));
    assertFalse(policy.mayRead(null, null, "#"));
  }

  @Test
  void hub_readsAndWritesFerryTopics() {
    assertTrue(policy.mayWrite(HUB, "ferry-hub-1", topic(A, "desired")));
    assertTrue(policy.mayWrite(HUB, "ferry-hub-1", topic(A, "reported")));
    assertTrue(policy.mayRead(HUB, "ferry-hub-1", "ferry/v1/devices/+/reported"));
    assertTrue(policy.mayRead(HUB, "ferry-hub-1", "ferry/v1/#"));
    assertTrue(policy.mayRead(HUB, "ferry-hub-1", topic(A, "reported")));
  }

  @Test
  void hub_readsThroughSharedSubscriptions() {
    assertTrue(policy.mayRead(HUB, "h", "$share/ferry-hub/ferry/v1/devices/+/telemetry"));
    assertFalse(policy.mayRead(HUB, "h", "$share/ferry-hub/#"));
    assertFalse(policy.mayRead(HUB, "h", "$share/ferry-hub/other/topic"));
  }

  @Test
  void hub_staysUnderFerryV1() {
    assertFalse(policy.mayRead(HUB, "h", "#"));
    assertFalse(policy.mayRead(HUB, "h", "$SYS/#"));
    assertFalse(policy.mayRead(HUB, "h", "ferry/v2/x"));
    assertFalse(policy.mayWrite(HUB, "h", "other/topic"));
    assertFalse(policy.mayWrite(HUB, "h", "ferry/v1/devices/+/desired"));
  }

  @Test
  void moquetteTopics_areCheckedByTheirFullName() {
    assertTrue(policy.canWrite(new Topic(topic(A, "telemetry")), A, A));
    assertFalse(policy.canWrite(new Topic(topic(B, "telemetry")), A, A));
    assertTrue(policy.canRead(new Topic("$share/ferry-hub/ferry/v1/devices/+/events"), HUB, "h"));
    assertFalse(policy.canRead(new Topic("ferry/v1/devices/+/desired"), A, A));
  }
}
