package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * The body of {@code POST /api/v1/tokens}: what to issue.
 *
 * @param name a unique name
 * @param role {@code admin}, {@code release-manager} or {@code viewer}
 * @param expiresAt when the token stops working; null for never
 */
public record TokenRequest(String name, String role, Instant expiresAt) {
  /**
   * A request for a token that never expires.
   *
   * @param name a unique name
   * @param role the role
   */
  public TokenRequest(String name, String role) {
    this(name, role, null);
  }
}
