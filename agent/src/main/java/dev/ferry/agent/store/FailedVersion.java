package dev.ferry.agent.store;

import dev.ferry.agent.failure.Failure;
import dev.ferry.protocol.oci.Digest;

/**
 * A version that failed for good (refused artifact, golden mismatch, rolled back on probation): it
 * is not tried again until the hub assigns another artifact.
 *
 * @param manifestDigest the artifact that failed
 * @param version its version
 * @param reason why, kept in state.json as the text reported
 */
public record FailedVersion(Digest manifestDigest, String version, Failure reason) {}
