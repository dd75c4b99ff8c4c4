package dev.ferry.protocol.registry;

import dev.ferry.protocol.oci.Digest;

/**
 * A manifest exactly as the registry stores it. Its digest is that of these bytes.
 *
 * @param mediaType the {@code Content-Type} the registry gave
 * @param digest the digest of the bytes, checked
 * @param bytes the manifest bytes; do not modify
 */
public record RawManifest(String mediaType, Digest digest, byte[] bytes) {}
