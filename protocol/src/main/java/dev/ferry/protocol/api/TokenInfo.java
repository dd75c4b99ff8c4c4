package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * An issued token without its secret: an element of {@code GET /api/v1/tokens}.
 *
 * @param name its name
 * @param role {@code admin}, {@code release-manager} or {@code viewer}
 * @param createdAt when it was issued
 * @param expiresAt when it stops working; null for never
 */
public record TokenInfo(String name, String role, Instant createdAt, Instant expiresAt) {
  /**
   * A token that never expires.
   *
   * @param name its name
   * @param role its role
   * @param createdAt when it was issued
   */
  public TokenInfo(String name, String role, Instant createdAt) {
    this(name, role, createdAt, null);
  }
}
