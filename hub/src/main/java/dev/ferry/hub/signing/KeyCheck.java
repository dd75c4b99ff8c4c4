package dev.ferry.hub.signing;

import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import org.jboss.logging.Logger;

/**
 * Warns when the hub holds a key the current root no longer lists: devices refuse what it signs.
 */
final class KeyCheck {
  private static final Logger LOG = Logger.getLogger(KeyCheck.class);

  private KeyCheck() {}

  static void warnIfNotListed(HubKeys keys, TrustRoot root) {
    keys.onlineKeyIds()
        .forEach(
            (role, id) ->
                id.filter(k -> !root.roles().get(role.id()).keyids().contains(k))
                    .ifPresent(k -> warn(role, k, root)));
  }

  private static void warn(Role role, String keyId, TrustRoot root) {
    LOG.warnf(
        "this hub's %s key %s is not in trust root version %d: devices refuse what it signs;"
            + " restart the hub with ferry.hub.keys.%s set to the key the root names",
        role.id(), keyId.substring(0, 12), root.version(), role.id());
  }
}
