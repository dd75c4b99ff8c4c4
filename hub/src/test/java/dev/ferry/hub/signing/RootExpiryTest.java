package dev.ferry.hub.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.signing.RootExpiry.Warning;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hub warns of its newest root's expiry a month ahead, and says once it has expired. */
class RootExpiryTest {
  private static final Instant EXPIRES = Instant.parse("2027-12-07T00:00:00Z");

  private static TrustRoot root(Instant expires) {
    PublicKey key = Ed25519.generate().getPublic();
    return TrustRoot.initial(
        expires,
        Map.of(Role.ROOT, List.of(key), Role.RELEASE, List.of(key), Role.HUB, List.of(key)),
        1);
  }

  @Test
  void aRootFarFromItsExpiry_orWithNone_saysNothing() {
    assertEquals(
        Optional.empty(), RootExpiry.warning(root(EXPIRES), EXPIRES.minusSeconds(31L * 86400)));
    assertEquals(Optional.empty(), RootExpiry.warning(root(null), EXPIRES));
  }

  @Test
  void withinAMonth_itWarnsWithTheDaysLeftAndWhatToDo() {
    Warning warning =
        RootExpiry.warning(root(EXPIRES), EXPIRES.minusSeconds(12L * 86400 + 5)).orElseThrow();
    assertFalse(warning.expired());
    assertEquals(
        "trust root version 1 expires at 2027-12-07T00:00:00Z, in 12 days: sign root version 2"
            + " with ferry trust rotate and upload it before then; after it every device refuses"
            + " every desired state",
        warning.text());
  }

  @Test
  void onceExpired_itSaysEveryDeviceRefuses() {
    Warning warning = RootExpiry.warning(root(EXPIRES), EXPIRES).orElseThrow();
    assertTrue(warning.expired());
    assertTrue(warning.text().startsWith("trust root version 1 expired at 2027-12-07T00:00:00Z"));
  }
}
