package dev.ferry.protocol.api;

/**
 * Gates on a rollout's new version against the previous version on the same devices, from their
 * telemetry while the rollout runs. At least one of the two maxima must be set.
 *
 * @param maxErrorRateIncrease the new error rate may exceed the previous one by at most this (an
 *     absolute share, 0.01 = one point), or null for no error gate
 * @param maxLatencyP99Ratio the new p99 latency may be at most this multiple of the previous one
 *     (at least 1), or null for no latency gate
 * @param minRequests requests the new version must have served before it is judged; 100 if null
 */
public record MetricGates(
    Double maxErrorRateIncrease, Double maxLatencyP99Ratio, Long minRequests) {}
