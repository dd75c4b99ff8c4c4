package dev.ferry.hub.signing;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The release role of the hub's current root: checks what the offline release key signed. */
@ApplicationScoped
public class ReleaseRole {
  @Inject TrustChain chain;

  /**
   * Whether a threshold of the current root's release keys signed an envelope.
   *
   * @param signed the envelope
   * @param payloadType the type the release role signs for this document
   * @return true when it verifies
   */
  public boolean signs(Envelope signed, String payloadType) {
    return signs(chain.current(), signed, payloadType);
  }

  /**
   * Whether a threshold of a root's release keys signed an envelope.
   *
   * @param root the root
   * @param signed the envelope
   * @param payloadType the type the release role signs for this document
   * @return true when it verifies
   */
  public static boolean signs(TrustRoot root, Envelope signed, String payloadType) {
    try {
      root.verifier(Role.RELEASE).verify(signed, payloadType);
      return true;
    } catch (UntrustedSignatureException e) {
      return false;
    }
  }

  /**
   * Verifies an envelope signed away from the hub by a threshold of the current root's release
   * keys.
   *
   * @param signed the envelope
   * @param payloadType the type the release role signs for this document
   * @return the verified payload bytes
   * @throws ApiException 400 naming the root version when it does not verify
   */
  public byte[] verify(Envelope signed, String payloadType) {
    TrustRoot root = chain.current();
    try {
      return root.verifier(Role.RELEASE).verify(signed, payloadType);
    } catch (UntrustedSignatureException e) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "not signed by the release keys of trust root version "
              + root.version()
              + ": "
              + e.getMessage());
    }
  }
}
