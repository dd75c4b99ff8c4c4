package dev.ferry.hub.broker;

import dev.ferry.hub.identity.DeviceAccess;
import dev.ferry.hub.identity.TlsMaterial;
import io.moquette.broker.security.IAuthenticator;
import java.security.MessageDigest;

/**
 * Who may connect to the embedded broker: the hub ({@value TlsMaterial#HUB_IDENTITY}) with the
 * password made at this start, or an ACCEPTED device with its MQTT password and its id as client
 * id. No one without credentials.
 */
final class Logins implements IAuthenticator {
  private final HubPassword hub;
  private final DeviceAccess devices;

  Logins(HubPassword hub, DeviceAccess devices) {
    this.hub = hub;
    this.devices = devices;
  }

  @Override
  public boolean checkValid(String clientId, String username, byte[] password) {
    if (username == null || password == null) {
      return false;
    }
    if (TlsMaterial.HUB_IDENTITY.equals(username)) {
      return MessageDigest.isEqual(hub.bytes(), password);
    }
    return username.equals(clientId) && devices.authenticate(username, password);
  }
}
