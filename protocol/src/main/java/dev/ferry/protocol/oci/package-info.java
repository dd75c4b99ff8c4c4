/**
 * OCI values: the {@link dev.ferry.protocol.oci.Digest}, the media types of a ModelPack artifact,
 * and manifest, index and descriptor records that keep {@code artifactType}, {@code subject} and
 * annotations.
 */
package dev.ferry.protocol.oci;
