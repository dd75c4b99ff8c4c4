package dev.ferry.agent.trust;

import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;

/**
 * The trust root before and after walking the hub's chain.
 *
 * @param before the root held before
 * @param after the root held now; the same when nothing newer came
 */
public record RootUpdate(TrustRoot before, TrustRoot after) {
  /** Whether a newer root was accepted. */
  public boolean changed() {
    return after.version() != before.version();
  }

  /** Whether the hub role's keys changed: the old hub key's desired sequences end with it. */
  public boolean hubKeysChanged() {
    return !after.roles().get(Role.HUB.id()).equals(before.roles().get(Role.HUB.id()));
  }
}
