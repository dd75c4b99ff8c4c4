package dev.ferry.protocol.signing;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import java.util.Base64;
import java.util.List;

/**
 * A DSSE envelope (https://github.com/secure-systems-lab/dsse): a typed payload and signatures over
 * its pre-authentication encoding.
 *
 * @param payloadType the payload's media type, for example {@link PayloadTypes#IN_TOTO}
 * @param payload the payload, standard base64
 * @param signatures at least one signature
 */
@MaxBytes(1 << 20)
public record Envelope(String payloadType, String payload, List<Signature> signatures) {
  /** Checks the fields; the payload must be valid base64. */
  public Envelope {
    Fields.text(payloadType, "payloadType");
    decode(Fields.required(payload, "payload"), "payload");
    signatures = Fields.nonEmptyList(signatures, "signatures");
  }

  /** The payload bytes. Trust them only as returned by {@link ThresholdVerifier#verify}. */
  public byte[] payloadBytes() {
    return decode(payload, "payload");
  }

  static byte[] decode(String base64, String field) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException standard) {
      try {
        return Base64.getUrlDecoder().decode(base64);
      } catch (IllegalArgumentException urlSafe) {
        throw new FieldException(
            field, "is not valid base64 (" + standard.getMessage() + "): " + Fields.show(base64));
      }
    }
  }
}
