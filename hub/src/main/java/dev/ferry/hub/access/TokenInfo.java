package dev.ferry.hub.access;

import java.time.Instant;

/**
 * An issued token, without its secret.
 *
 * @param name its name
 * @param role its role
 * @param createdAt when it was issued
 */
public record TokenInfo(String name, ApiRole role, Instant createdAt) {}
