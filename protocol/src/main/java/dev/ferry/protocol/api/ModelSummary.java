package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * A model in the catalog: an element of {@code GET /api/v1/models}.
 *
 * @param name the model name
 * @param releases how many releases it has
 * @param latestVersion the version of its highest release sequence
 * @param latestReleaseSeq that release's sequence
 * @param createdAt when its first release was published
 */
public record ModelSummary(
    String name, int releases, String latestVersion, long latestReleaseSeq, Instant createdAt) {}
