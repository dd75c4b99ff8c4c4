package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * A token just issued, the answer of {@code POST /api/v1/tokens}: the only time its secret is
 * shown.
 *
 * @param name its name
 * @param role {@code admin}, {@code release-manager} or {@code viewer}
 * @param token the bearer token
 * @param createdAt when it was issued
 * @param expiresAt when it stops working; null for never
 */
public record IssuedToken(
    String name, String role, String token, Instant createdAt, Instant expiresAt) {
  /**
   * A token that never expires.
   *
   * @param name its name
   * @param role its role
   * @param token the bearer token
   * @param createdAt when it was issued
   */
  public IssuedToken(String name, String role, String token, Instant createdAt) {
    this(name, role, token, createdAt, null);
  }

  /** Names the token and its role, never its secret. */
  @Override
  public String toString() {
    return "IssuedToken[" + name + ", " + role + "]";
  }
}
