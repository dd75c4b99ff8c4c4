package dev.ferry.protocol.api;

/**
 * The body of {@code POST /api/v1/tokens}: what to issue.
 *
 * @param name a unique name
 * @param role {@code admin}, {@code release-manager} or {@code viewer}
 */
public record TokenRequest(String name, String role) {}
