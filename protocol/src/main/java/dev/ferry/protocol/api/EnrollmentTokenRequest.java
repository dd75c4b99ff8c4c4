package dev.ferry.protocol.api;

import java.util.Map;

/**
 * The body of {@code POST /api/v1/enrollment-tokens}: a token that lets devices enroll.
 *
 * @param deviceId the one device id the token enrolls, or null for any id
 * @param labels labels every device enrolled with it gets on the hub (its hub labels), or null
 * @param expiresIn how long the token is valid, an ISO-8601 duration ({@code PT1H}, {@code P7D});
 *     null for one day
 * @param uses how many devices may enroll with it; null for one
 */
public record EnrollmentTokenRequest(
    String deviceId, Map<String, String> labels, String expiresIn, Integer uses) {}
