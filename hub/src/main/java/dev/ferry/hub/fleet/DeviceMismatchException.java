package dev.ferry.hub.fleet;

import dev.ferry.protocol.device.Topic;

/** A device message whose payload names another device than its topic: refused, never stored. */
public final class DeviceMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DeviceMismatchException(Topic topic, String deviceId) {
    super("deviceId '" + deviceId + "' differs from the topic's '" + topic.deviceId() + "'");
  }
}
