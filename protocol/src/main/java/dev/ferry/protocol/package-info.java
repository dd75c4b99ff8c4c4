/**
 * Ferry's wire contract: what the hub and the agent say to each other, and how it is signed.
 *
 * <p>{@link dev.ferry.protocol.json} encodes and decodes every message; {@link
 * dev.ferry.protocol.device} holds the MQTT messages and topics; {@link dev.ferry.protocol.release}
 * the signed release statement and the artifact's own files; {@link dev.ferry.protocol.oci}
 * digests, media types and OCI manifests; {@link dev.ferry.protocol.signing} DSSE envelopes,
 * Ed25519 keys and the trust root; {@link dev.ferry.protocol.registry} the OCI registry client both
 * sides use; {@link dev.ferry.protocol.api} the hub's REST API as records.
 */
package dev.ferry.protocol;
