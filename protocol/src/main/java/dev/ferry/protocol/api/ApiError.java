package dev.ferry.protocol.api;

import java.util.Map;

/**
 * The one error body of the API, sent with every 4xx and 5xx answer.
 *
 * @param code the error code: {@code INVALID_REQUEST} (400), {@code UNAUTHENTICATED} (401), {@code
 *     FORBIDDEN} (403), {@code NOT_FOUND} (404), {@code CONFLICT} (409), {@code TOO_LARGE} (413),
 *     {@code UNPROCESSABLE} (422), {@code INTERNAL} (500) or {@code UNAVAILABLE} (503)
 * @param message what went wrong, naming the field and the value
 * @param details extra facts, for example the field name; empty when none
 */
public record ApiError(String code, String message, Map<String, Object> details) {}
