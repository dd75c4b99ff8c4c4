package dev.ferry.agent.identity;

import dev.ferry.protocol.api.DeviceCredentials;

/** What the hub answered to an enrollment or renewal. */
public sealed interface HubAnswer {
  /**
   * The hub issued a certificate (201 on enrollment, 200 on renewal).
   *
   * @param credentials the certificate, CA and, on enrollment, the MQTT password
   */
  record Issued(DeviceCredentials credentials) implements HubAnswer {}

  /** The hub holds the device PENDING until an admin accepts it (202). */
  record Pending() implements HubAnswer {}

  /**
   * The hub refused (4xx or 5xx).
   *
   * @param status the HTTP status
   * @param message the hub's message (its error body's {@code message}), never the token
   */
  record Refused(int status, String message) implements HubAnswer {}
}
