package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.identity.DeviceAccess;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LoginsTest {
  private static final byte[] SECRET = "fdp_secret".getBytes(StandardCharsets.UTF_8);

  /** One accepted device, edge-a, with password {@link #SECRET}. */
  private static final DeviceAccess DEVICES =
      new DeviceAccess() {
        @Override
        public boolean authenticate(String deviceId, byte[] password) {
          return deviceId.equals("edge-a") && Arrays.equals(SECRET, password);
        }

        @Override
        public boolean accepted(String deviceId) {
          return deviceId.equals("edge-a");
        }
      };

  private final HubPassword hub = new HubPassword();
  private final Logins logins = new Logins(hub, DEVICES);

  @Test
  void device_withItsPasswordAndItsIdAsClientIdConnects() {
    assertTrue(logins.checkValid("edge-a", "edge-a", SECRET));
  }

  @Test
  void device_withAnotherClientIdIsRefused() {
    assertFalse(logins.checkValid("edge-b", "edge-a", SECRET));
  }

  @Test
  void device_withAWrongPasswordIsRefused() {
    assertFalse(logins.checkValid("edge-a", "edge-a", "wrong".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anonymous_isRefused() {
    assertFalse(logins.checkValid("edge-a", null, null));
    assertFalse(logins.checkValid("edge-a", "edge-a", null));
  }

  @Test
  void hub_withThePasswordOfThisStartConnectsUnderAnyClientId() {
    assertTrue(logins.checkValid("ferry-hub-1-ingest", "ferry-hub", hub.bytes()));
    assertFalse(logins.checkValid("ferry-hub-1", "ferry-hub", SECRET));
    assertFalse(logins.checkValid("ferry-hub-1", "ferry-hub", new HubPassword().bytes()));
  }

  @Test
  void hubPassword_neverShowsInToString() {
    assertFalse(hub.toString().contains(new String(hub.chars())));
  }
}
