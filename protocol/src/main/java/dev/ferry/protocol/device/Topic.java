package dev.ferry.protocol.device;

import dev.ferry.protocol.json.Fields;
import java.util.Arrays;

/**
 * A per-device topic, {@code ferry/v1/devices/{id}/{channel}}.
 *
 * @param deviceId the device id ({@link DeviceIds})
 * @param channel the channel
 */
public record Topic(String deviceId, Channel channel) {
  /**
   * The largest payload of any Ferry message on MQTT (the {@code @MaxBytes} of the largest, {@link
   * TelemetryBatch} and {@link DesiredState}'s envelope): brokers refuse anything larger, so no
   * client reads more than this into memory.
   */
  public static final int MAX_PAYLOAD_BYTES = 1 << 20;

  /** The largest MQTT packet a broker accepts: {@link #MAX_PAYLOAD_BYTES}, topic and header. */
  public static final int MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + (4 << 10);

  /** The prefix of every Ferry v1 device topic. */
  public static final String PREFIX = "ferry/v1/devices/";

  private static final java.util.regex.Pattern SHARE_GROUP =
      java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Checks the device id. */
  public Topic {
    DeviceIds.require(deviceId, "deviceId");
    Fields.required(channel, "channel");
  }

  /**
   * Parses a topic name.
   *
   * @param topic the MQTT topic name
   * @return the topic
   * @throws IllegalArgumentException naming the topic if it is not a Ferry v1 device topic
   */
  public static Topic parse(String topic) {
    String[] parts = topic == null ? new String[0] : topic.split("/", -1);
    if (parts.length != 5 || !topic.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "topic must be " + PREFIX + "{id}/{channel}, got " + Fields.show(topic));
    }
    Channel channel = Channel.ofSegment(parts[4]);
    if (channel == null) {
      throw new IllegalArgumentException(
          "topic channel must be one of "
              + Arrays.stream(Channel.values()).map(Channel::segment).toList()
              + ", got "
              + Fields.show(parts[4]));
    }
    return new Topic(parts[3], channel);
  }

  /**
   * The filter matching one channel of every device: {@code ferry/v1/devices/+/telemetry}.
   *
   * @param channel the channel
   * @return the topic filter
   */
  public static String filter(Channel channel) {
    return PREFIX + "+/" + channel.segment();
  }

  /**
   * The shared-subscription filter for one channel, so replicas of a group split the messages:
   * {@code $share/ferry-hub/ferry/v1/devices/+/telemetry}.
   *
   * @param group the share group name
   * @param channel the channel
   * @return the topic filter
   */
  public static String sharedFilter(String group, Channel channel) {
    Fields.matching(group, SHARE_GROUP, "group");
    return "$share/" + group + "/" + filter(channel);
  }

  /** The topic name. */
  @Override
  public String toString() {
    return PREFIX + deviceId + "/" + channel.segment();
  }
}
