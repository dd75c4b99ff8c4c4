package dev.ferry.agent.store;

import dev.ferry.protocol.oci.Digest;

/**
 * A version that failed for good (refused artifact, golden mismatch, rolled back on probation): it
 * is not tried again until the hub assigns another artifact.
 *
 * @param manifestDigest the artifact that failed
 * @param version its version
 * @param reason why, as reported
 */
public record FailedVersion(Digest manifestDigest, String version, String reason) {}
