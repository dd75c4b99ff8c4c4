package dev.ferry.agent.sync;

import java.io.IOException;

/**
 * The broker sent a packet other than a PUBLISH over the agent's limit, which no broker has reason
 * to: the connection is dropped rather than the packet read.
 */
final class PacketTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  PacketTooLargeException(FixedHeader header, int limit) {
    super(
        "an MQTT packet of type "
            + header.type()
            + " and "
            + header.remainingLength()
            + " bytes is over the agent's limit of "
            + limit
            + " bytes; a PUBLISH that large is skipped, anything else ends the connection");
  }
}
