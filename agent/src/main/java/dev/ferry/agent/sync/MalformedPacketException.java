package dev.ferry.agent.sync;

import java.io.IOException;

/** The broker sent bytes that are not an MQTT 3.1.1 packet; the connection cannot go on. */
final class MalformedPacketException extends IOException {
  private static final long serialVersionUID = 1L;

  MalformedPacketException(String message) {
    super(message);
  }
}
