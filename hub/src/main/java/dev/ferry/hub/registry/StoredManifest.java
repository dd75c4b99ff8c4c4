package dev.ferry.hub.registry;

import dev.ferry.protocol.oci.Digest;
import java.nio.file.Path;

/**
 * A manifest as the store holds it: its bytes are the file, never a re-encoding.
 *
 * @param digest the digest of the file's bytes
 * @param mediaType the media type it was put with
 * @param size its size in bytes
 * @param file the blob file holding it; read it, do not modify it
 */
public record StoredManifest(Digest digest, String mediaType, long size, Path file) {}
