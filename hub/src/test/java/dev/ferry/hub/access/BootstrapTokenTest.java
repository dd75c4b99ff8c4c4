package dev.ferry.hub.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A configured admin token must be 32 random bytes or more, never a placeholder. */
class BootstrapTokenTest {
  private static String refusal(String token) {
    return assertThrows(WeakBootstrapTokenException.class, () -> BootstrapToken.require(token))
        .getMessage();
  }

  @Test
  void thePlaceholder_isRefusedWithoutShowingTheToken() {
    assertEquals(
        "ferry.hub.bootstrap-token (FERRY_HUB_BOOTSTRAP_TOKEN) is the placeholder 'change-me'; use"
            + " at least 32 random bytes, such as `openssl rand -base64 32` prints, or leave it"
            + " unset and the hub generates <data-dir>/admin.token",
        refusal("change-me"));
  }

  @Test
  void shortOrPlainTokens_areRefused() {
    assertEquals(
        "ferry.hub.bootstrap-token (FERRY_HUB_BOOTSTRAP_TOKEN) is too weak: 17 characters, 12"
            + " different ones; it needs 43 or more, of 16 or more different ones; use at least 32"
            + " random bytes, such as `openssl rand -base64 32` prints, or leave it unset and the"
            + " hub generates <data-dir>/admin.token",
        refusal("fy_fleet-it-admin"));
    assertEquals(
        "ferry.hub.bootstrap-token (FERRY_HUB_BOOTSTRAP_TOKEN) is too weak: 60 characters, 2"
            + " different ones; it needs 43 or more, of 16 or more different ones; use at least 32"
            + " random bytes, such as `openssl rand -base64 32` prints, or leave it unset and the"
            + " hub generates <data-dir>/admin.token",
        refusal("ab".repeat(30)));
  }

  @Test
  void thirtyTwoRandomBytes_pass() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    String token = Base64.getEncoder().encodeToString(bytes);
    assertEquals(token, BootstrapToken.require(token));
  }
}
