package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * What an enrolled device receives: the answer of {@code POST /api/v1/enroll} (201 when issued, 202
 * with only {@code deviceId} and {@code status} while PENDING) and of {@code POST
 * /api/v1/devices/{id}/certificate} (without a new {@code mqttPassword}).
 *
 * @param deviceId the device id, also its MQTT user name and client id
 * @param status {@code PENDING} or {@code ACCEPTED}
 * @param certificate the device's X.509 client certificate, PEM; null while PENDING
 * @param caCertificates the device CA's certificate(s), PEM: what the device trusts for the
 *     embedded broker's TLS and what signed its certificate; null while PENDING
 * @param mqttPassword the per-device broker password, shown once (on enrollment), or null
 * @param notAfter when the certificate expires; null while PENDING
 */
public record DeviceCredentials(
    String deviceId,
    String status,
    String certificate,
    String caCertificates,
    String mqttPassword,
    Instant notAfter) {
  /** Names the device, never its password. */
  @Override
  public String toString() {
    return "DeviceCredentials[" + deviceId + ", " + status + ", notAfter=" + notAfter + "]";
  }
}
