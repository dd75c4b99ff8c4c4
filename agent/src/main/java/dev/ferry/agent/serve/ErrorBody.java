package dev.ferry.agent.serve;

/**
 * The body of every error answer.
 *
 * @param error what went wrong
 */
public record ErrorBody(String error) {}
