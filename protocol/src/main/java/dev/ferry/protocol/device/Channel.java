package dev.ferry.protocol.device;

/** The per-device MQTT topics, by their last segment. */
public enum Channel {
  /** Hub to agent, retained: the signed desired state. */
  DESIRED("desired", true),
  /** Agent to hub, retained: the reported state. */
  REPORTED("reported", true),
  /** Agent to hub: update events. */
  EVENTS("events", false),
  /** Agent to hub: telemetry batches. */
  TELEMETRY("telemetry", false),
  /** Agent (and its will) to hub, retained: presence. */
  ONLINE("online", true),
  /** Hub to agent: receipts for the telemetry batches the hub has stored ({@link Receipt}). */
  RECEIPTS("receipts", false);

  private final String segment;
  private final boolean retained;

  Channel(String segment, boolean retained) {
    this.segment = segment;
    this.retained = retained;
  }

  /** The topic's last segment. */
  public String segment() {
    return segment;
  }

  /** Whether messages on this channel are published retained. */
  public boolean retained() {
    return retained;
  }

  /**
   * The channel with that segment.
   *
   * @param segment the last topic segment
   * @return the channel, or null if none has it
   */
  public static Channel ofSegment(String segment) {
    for (Channel channel : values()) {
      if (channel.segment.equals(segment)) {
        return channel;
      }
    }
    return null;
  }
}
