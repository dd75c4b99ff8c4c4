package dev.ferry.hub.access;

import java.time.Instant;

/**
 * A token just issued; the only time its secret is shown.
 *
 * @param name its name
 * @param role its role
 * @param token the bearer token
 * @param createdAt when it was issued
 */
public record IssuedToken(String name, ApiRole role, String token, Instant createdAt) {
  @Override
  public String toString() {
    return "IssuedToken[" + name + ", " + role + "]";
  }
}
