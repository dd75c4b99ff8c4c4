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
 */
public record IssuedToken(String name, String role, String token, Instant createdAt) {
  /** Names the token and its role, never its secret. */
  @Override
  public String toString() {
    return "IssuedToken[" + name + ", " + role + "]";
  }
}
