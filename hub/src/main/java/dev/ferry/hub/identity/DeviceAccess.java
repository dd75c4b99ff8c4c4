package dev.ferry.hub.identity;

/**
 * What the broker, the registry and ingestion ask about a device's identity. Answers come from the
 * enrollment records; only ACCEPTED devices pass.
 */
public interface DeviceAccess {
  /**
   * Checks a device's credential.
   *
   * @param deviceId the id the caller claims (its MQTT user name, or its HTTP Basic user)
   * @param password the per-device password issued at enrollment
   * @return true only if the device is ACCEPTED and the password is its current one
   */
  boolean authenticate(String deviceId, byte[] password);

  /**
   * Whether a device may take part now.
   *
   * @param deviceId the device id
   * @return true only if it enrolled and is ACCEPTED (neither PENDING, REVOKED nor unknown)
   */
  boolean accepted(String deviceId);
}
