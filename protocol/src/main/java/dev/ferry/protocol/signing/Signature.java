package dev.ferry.protocol.signing;

import dev.ferry.protocol.json.Fields;

/**
 * One DSSE signature.
 *
 * @param keyid the id of the signing key ({@link KeyIds}); may be empty, then every trusted key is
 *     tried
 * @param sig the base64 signature over {@link Pae#encode}
 */
public record Signature(String keyid, String sig) {
  /** Checks the fields. */
  public Signature {
    keyid = keyid == null ? "" : keyid;
    Fields.text(sig, "sig");
  }
}
