package dev.ferry.hub.api;

import java.util.Map;

/**
 * The one error body of the API.
 *
 * @param code the error code
 * @param message what went wrong, naming the field and the value
 * @param details extra facts, for example the field name; empty when none
 */
public record ApiError(ErrorCode code, String message, Map<String, Object> details) {}
