package dev.ferry.cli;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;

/**
 * What the release key signs away from the hub: a release statement or a revocation list, signed
 * byte for byte as the hub served it (the hub takes a signature only over its exact payload).
 *
 * @param bytes the payload
 * @param payloadType {@link PayloadTypes#IN_TOTO} or {@link PayloadTypes#REVOCATIONS}
 * @param what what it is, for messages ({@code detector@1.2.0}, {@code revocation list version 4})
 */
record ReleasePayload(byte[] bytes, String payloadType, String what) {
  private static final JsonCodec CODEC = new JsonCodec();

  /**
   * Reads a payload, checking that it is a release statement or a revocation list.
   *
   * @param bytes the payload as the hub served it
   * @param source where it came from, for messages
   * @throws TrustException when it is neither
   */
  static ReleasePayload of(byte[] bytes, String source) {
    try {
      ReleaseStatement statement = CODEC.decode(bytes, ReleaseStatement.class);
      String what = statement.predicate().model() + "@" + statement.predicate().version();
      return new ReleasePayload(bytes, PayloadTypes.IN_TOTO, what);
    } catch (IllegalArgumentException notAStatement) {
      try {
        Revocations list = CODEC.decode(bytes, Revocations.class);
        return new ReleasePayload(
            bytes, PayloadTypes.REVOCATIONS, "revocation list version " + list.version());
      } catch (IllegalArgumentException e) {
        throw new TrustException(
            source
                + " is neither a release statement nor a revocation list: "
                + notAStatement.getMessage());
      }
    }
  }

  /** The payload, unchanged, signed with a key. */
  Envelope sign(Signer signer) {
    return signer.sign(payloadType, bytes);
  }
}
