package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * A device's identity as the hub holds it, part of {@link Device}.
 *
 * @param state {@code PENDING}, {@code ACCEPTED} or {@code REVOKED}
 * @param tokenId the enrollment token it used
 * @param enrolledAt when it asked to enroll
 * @param acceptedAt when it was accepted; null while PENDING
 * @param certificateSerial the serial (hex) of its current certificate; null before the first
 * @param certificateNotAfter when its current certificate expires; null before the first
 * @param revokedAt when it was revoked; null unless REVOKED
 */
public record DeviceEnrollment(
    String state,
    String tokenId,
    Instant enrolledAt,
    Instant acceptedAt,
    String certificateSerial,
    Instant certificateNotAfter,
    Instant revokedAt) {}
