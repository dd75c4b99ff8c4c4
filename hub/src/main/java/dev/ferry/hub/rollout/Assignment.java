package dev.ferry.hub.rollout;

/**
 * What a device is assigned of a model.
 *
 * @param version the release version, or null for nothing
 * @param rolloutId the rollout that assigned it, or null
 */
record Assignment(String version, String rolloutId) {}
