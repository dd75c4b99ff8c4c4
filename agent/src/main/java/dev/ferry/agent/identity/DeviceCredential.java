package dev.ferry.agent.identity;

import java.util.Objects;

/**
 * A device's broker and registry credential: its id as user name and the password the hub issued at
 * enrollment. Never printed.
 *
 * @param deviceId the device id, also the MQTT user name and client id
 * @param password the per-device password
 */
public record DeviceCredential(String deviceId, String password) {
  /** Checks both parts are there. */
  public DeviceCredential {
    Objects.requireNonNull(deviceId, "deviceId");
    if (password == null || password.isBlank()) {
      throw new InvalidIdentityException("mqtt.password of device " + deviceId + " is empty");
    }
  }

  /** {@code Basic base64(<id>:<password>)}, for the hub's API and its registry. */
  public String basic() {
    return HubClient.basic(deviceId, password);
  }

  /** Names the device, never the password. */
  @Override
  public String toString() {
    return "DeviceCredential[" + deviceId + "]";
  }
}
