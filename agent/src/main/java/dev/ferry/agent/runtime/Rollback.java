package dev.ferry.agent.runtime;

/**
 * A swap back to the fallback version.
 *
 * @param model the model name
 * @param from the version taken out of service
 * @param to the version serving again
 * @param reason why
 */
public record Rollback(String model, String from, String to, String reason) {}
