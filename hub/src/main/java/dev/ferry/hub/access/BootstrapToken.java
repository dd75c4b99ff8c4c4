package dev.ferry.hub.access;

/**
 * Checks a configured admin token ({@code ferry.hub.bootstrap-token}) at start-up: at least 32
 * random bytes (43 base64 characters or more, of at least 16 different ones), never the placeholder
 * {@code change-me}. The token itself never appears in a message.
 */
final class BootstrapToken {
  static final String PROPERTY = "ferry.hub.bootstrap-token (FERRY_HUB_BOOTSTRAP_TOKEN)";
  static final int MIN_LENGTH = 43;
  static final int MIN_DISTINCT = 16;
  private static final String ADVICE =
      "; use at least 32 random bytes, such as `openssl rand -base64 32` prints, or leave it unset"
          + " and the hub generates <data-dir>/admin.token";

  private BootstrapToken() {}

  /**
   * @param token the configured token
   * @return the token
   * @throws WeakBootstrapTokenException if it is a placeholder or too short or too plain
   */
  static String require(String token) {
    if (token.toLowerCase(java.util.Locale.ROOT).contains("change-me")) {
      throw new WeakBootstrapTokenException(PROPERTY + " is the placeholder 'change-me'" + ADVICE);
    }
    long distinct = token.chars().distinct().count();
    if (token.length() < MIN_LENGTH || distinct < MIN_DISTINCT) {
      throw new WeakBootstrapTokenException(
          PROPERTY
              + " is too weak: "
              + token.length()
              + " characters, "
              + distinct
              + " different ones; it needs "
              + MIN_LENGTH
              + " or more, of "
              + MIN_DISTINCT
              + " or more different ones"
              + ADVICE);
    }
    return token;
  }
}
