package dev.ferry.protocol.testing;

import java.security.SecureRandom;
import java.util.Base64;

/** Admin tokens for hubs that tests start: 32 random bytes, as the hub requires, with a label. */
public final class AdminTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AdminTokens() {}

  /** {@code fy_<label>_<32 random bytes, base64url>}. */
  public static String random(String label) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "fy_" + label + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
