/**
 * DSSE envelopes signed with Ed25519, threshold verification, and the trust root that names which
 * keys may sign what.
 *
 * <p>Verify first, then decode exactly the bytes that were verified: {@link
 * dev.ferry.protocol.signing.ThresholdVerifier#verify} returns the payload bytes, never a parsed
 * object.
 */
package dev.ferry.protocol.signing;
