package dev.ferry.agent.sync;

/**
 * A message the broker sent over the agent's limit, read past and never delivered.
 *
 * @param topic its topic, as far as the guard read it (at most {@link OversizeGuard#TOPIC_SHOWN}
 *     bytes, control characters replaced, {@code …} where cut)
 * @param size the bytes after its fixed header (MQTT's remaining length)
 * @param limit the most the agent takes
 */
record OversizeMessage(String topic, int size, int limit) {
  OversizeMessage {
    if (topic == null) {
      throw new IllegalArgumentException("topic must not be null");
    }
    if (size <= limit) {
      throw new IllegalArgumentException(
          "size must be over the limit of " + limit + " bytes: " + size);
    }
  }

  /** What the agent logs. */
  String describe() {
    return "skipped an MQTT message of "
        + size
        + " bytes on "
        + topic
        + ": over the agent's limit of "
        + limit
        + " bytes (set the broker's limit, such as Mosquitto's message_size_limit, to 1048576)";
  }
}
