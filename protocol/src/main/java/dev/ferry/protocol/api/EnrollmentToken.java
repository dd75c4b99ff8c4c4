package dev.ferry.protocol.api;

import java.time.Instant;
import java.util.Map;

/**
 * An enrollment token: the answer of {@code POST /api/v1/enrollment-tokens} (the only time {@code
 * token} is set) and an element of {@code GET /api/v1/enrollment-tokens} (without it).
 *
 * @param id its id, for listing and deleting; not a secret
 * @param token the secret the agent presents, or null when listed
 * @param deviceId the one device id it enrolls, or null for any
 * @param labels the hub labels enrolled devices get
 * @param expiresAt when it stops being accepted
 * @param usesLeft how many more devices may enroll with it
 * @param createdBy who created it
 * @param createdAt when
 */
public record EnrollmentToken(
    String id,
    String token,
    String deviceId,
    Map<String, String> labels,
    Instant expiresAt,
    int usesLeft,
    String createdBy,
    Instant createdAt) {
  /** Names the token, never its secret. */
  @Override
  public String toString() {
    return "EnrollmentToken[" + id + ", device=" + deviceId + ", usesLeft=" + usesLeft + "]";
  }
}
