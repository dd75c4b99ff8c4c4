package dev.ferry.agent.telemetry;

/**
 * What served a request: a model's version, the release variant it is and its execution provider.
 *
 * @param model the model
 * @param version the version
 * @param variant the release variant, or null for a release of one model file
 * @param provider the execution provider
 */
public record ServedBy(String model, String version, String variant, String provider) {}
