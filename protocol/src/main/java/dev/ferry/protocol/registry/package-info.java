/**
 * The OCI registry client hub and agent share. Manifests are fetched and stored as raw bytes with
 * their digest checked; blobs are fetched into files with {@code Range} resume, a hard size cap, a
 * streaming sha256 and an idle timeout; referrers are listed through the referrers API or the
 * {@code sha256-<hex>} tag. jib-core provides authentication (token flow, Docker config, credential
 * helpers) and blob upload.
 */
package dev.ferry.protocol.registry;
