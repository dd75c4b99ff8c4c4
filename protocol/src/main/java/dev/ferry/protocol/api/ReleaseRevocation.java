package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * That a release was withdrawn: part of {@link Release} once {@code POST
 * /api/v1/models/{name}/versions/{version}/revoke} took it off the fleet.
 *
 * @param revokedAt when
 * @param reason why, in the release manager's words
 * @param revokedBy the name of the token that revoked it
 */
public record ReleaseRevocation(Instant revokedAt, String reason, String revokedBy) {}
