package dev.ferry.hub.identity;

import dev.ferry.protocol.api.DeviceEnrollment;
import java.time.Instant;

/**
 * A device's identity row.
 *
 * @param deviceId the device id
 * @param state its state
 * @param tokenId the enrollment token it used
 * @param publicKeyDigest sha256 (hex) of the key it enrolled with
 * @param passwordHash sha256 (hex) of its broker password, or null before credentials were issued
 * @param enrolledAt when it first asked
 * @param acceptedAt when it was accepted, or null
 * @param revokedAt when it was revoked, or null
 * @param certificateSerial its current certificate's serial (hex), or null
 * @param certificateNotAfter when that certificate expires, or null
 */
public record Identity(
    String deviceId,
    IdentityState state,
    String tokenId,
    String publicKeyDigest,
    String passwordHash,
    Instant enrolledAt,
    Instant acceptedAt,
    Instant revokedAt,
    String certificateSerial,
    Instant certificateNotAfter) {

  /** Whether credentials were handed out already. */
  public boolean issued() {
    return passwordHash != null;
  }

  /** As the API shows it. */
  public DeviceEnrollment toApi() {
    return new DeviceEnrollment(
        state.name(),
        tokenId,
        enrolledAt,
        acceptedAt,
        certificateSerial,
        certificateNotAfter,
        revokedAt);
  }
}
