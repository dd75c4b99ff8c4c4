package dev.ferry.hub.access;

/**
 * Who a request acts as.
 *
 * @param name the token's name
 * @param role its role
 */
public record TokenHolder(String name, ApiRole role) {}
