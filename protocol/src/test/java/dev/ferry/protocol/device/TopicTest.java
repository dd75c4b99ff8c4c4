package dev.ferry.protocol.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.json.FieldException;
import org.junit.jupiter.api.Test;

class TopicTest {
  @Test
  void toString_buildsTheTopicName() {
    assertEquals(
        "ferry/v1/devices/edge-01/desired", new Topic("edge-01", Channel.DESIRED).toString());
  }

  @Test
  void parse_readsEveryChannel() {
    for (Channel channel : Channel.values()) {
      Topic topic = Topic.parse("ferry/v1/devices/line-3.cam_2/" + channel.segment());
      assertEquals(new Topic("line-3.cam_2", channel), topic);
    }
    assertEquals(6, Channel.values().length);
  }

  @Test
  void parse_rejectsAnUnknownChannel() {
    assertEquals(
        "topic channel must be one of [desired, reported, events, telemetry, online, receipts], got"
            + " 'status'",
        assertThrows(IllegalArgumentException.class, () -> Topic.parse("ferry/v1/devices/a/status"))
            .getMessage());
  }

  @Test
  void parse_rejectsOtherTopics() {
    for (String bad :
        new String[] {
          "ferry/v2/devices/a/desired", "ferry/v1/devices/a/b/desired", "ferry/v1/devices//desired"
        }) {
      assertThrows(IllegalArgumentException.class, () -> Topic.parse(bad), bad);
    }
  }

  @Test
  void topic_enforcesTheDeviceIdRule() {
    assertEquals(
        "deviceId must match [A-Za-z0-9._-]{1,128}, got 'a+b'",
        assertThrows(FieldException.class, () -> new Topic("a+b", Channel.EVENTS)).getMessage());
    assertThrows(FieldException.class, () -> new Topic("a".repeat(129), Channel.EVENTS));
    assertEquals("a".repeat(128), new Topic("a".repeat(128), Channel.EVENTS).deviceId());
  }

  @Test
  void filters_coverEveryDevice() {
    assertEquals("ferry/v1/devices/+/telemetry", Topic.filter(Channel.TELEMETRY));
    assertEquals(
        "$share/ferry-hub/ferry/v1/devices/+/reported",
        Topic.sharedFilter("ferry-hub", Channel.REPORTED));
    assertThrows(FieldException.class, () -> Topic.sharedFilter("a/b", Channel.REPORTED));
  }

  @Test
  void labels_followKubernetesSyntax() {
    assertEquals(
        "labels has an invalid key 'bad key'",
        assertThrows(
                FieldException.class,
                () -> Labels.check(java.util.Map.of("bad key", "x"), "labels"))
            .getMessage());
    assertEquals(
        java.util.Map.of("ferry.dev/site", "berlin", "accel", ""),
        Labels.check(java.util.Map.of("ferry.dev/site", "berlin", "accel", ""), "labels"));
  }
}
