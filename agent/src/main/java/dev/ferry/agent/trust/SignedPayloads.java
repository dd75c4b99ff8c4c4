package dev.ferry.agent.trust;

import static dev.ferry.agent.failure.Reason.MALFORMED;
import static dev.ferry.agent.failure.Reason.WRONG_PAYLOAD_TYPE;

import dev.ferry.agent.failure.Reason;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;

/** Decodes, type-checks and verifies envelopes, turning each failure into a rejection. */
final class SignedPayloads {
  private final JsonCodec codec;

  SignedPayloads(JsonCodec codec) {
    this.codec = codec;
  }

  <T> T decode(byte[] json, Class<T> type, String what) {
    try {
      return codec.decode(json, type);
    } catch (IllegalArgumentException e) {
      throw new RejectedDesiredStateException(MALFORMED, what + " is malformed: " + e.getMessage());
    }
  }

  void requireType(Envelope envelope, String payloadType, String what) {
    if (!envelope.payloadType().equals(payloadType)) {
      throw new RejectedDesiredStateException(
          WRONG_PAYLOAD_TYPE,
          what
              + " payloadType must be "
              + Fields.show(payloadType)
              + ", got "
              + Fields.show(envelope.payloadType()));
    }
  }

  /** The verified payload bytes; {@code what} starts the message, "… signed by the x role". */
  byte[] verify(TrustRoot root, Role role, Envelope envelope, Reason reason, String what) {
    try {
      return root.verifier(role).verify(envelope, envelope.payloadType());
    } catch (UntrustedSignatureException | IllegalArgumentException e) {
      throw new RejectedDesiredStateException(
          reason,
          what
              + " signed by the "
              + role.id()
              + " role"
              + confusion(root, role, envelope)
              + ": "
              + e.getMessage());
    }
  }

  /** Names another role whose key signed, so that role confusion reads as such. */
  private static String confusion(TrustRoot root, Role expected, Envelope envelope) {
    for (Role other : Role.values()) {
      if (other == expected) {
        continue;
      }
      var keyids = root.roles().get(other.id()).keyids();
      boolean signed = envelope.signatures().stream().anyMatch(s -> keyids.contains(s.keyid()));
      if (signed) {
        return " but by a " + other.id() + " key (role confusion)";
      }
    }
    return "";
  }
}
