package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * An issued token without its secret: an element of {@code GET /api/v1/tokens}.
 *
 * @param name its name
 * @param role {@code admin}, {@code release-manager} or {@code viewer}
 * @param createdAt when it was issued
 */
public record TokenInfo(String name, String role, Instant createdAt) {}
