package dev.ferry.hub.signing;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.oci.Digest;
import java.util.Arrays;

/**
 * The exact bytes the hub asks the offline release key to sign: a signature counts only if its
 * payload equals them byte for byte, so the hub never publishes what it did not prepare.
 *
 * @param what what is pending, for messages ({@code the statement of model 'm' version '1.0.0'})
 * @param bytes the payload to sign
 */
public record PendingPayload(String what, byte[] bytes) {
  /** Checks both and copies the bytes. */
  public PendingPayload {
    if (what == null || bytes == null) {
      throw new IllegalArgumentException("what and bytes are required");
    }
    bytes = bytes.clone();
  }

  /** The payload to sign. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The payload's digest. */
  public Digest digest() {
    return Digest.of(bytes);
  }

  /**
   * Checks a signed payload against this one.
   *
   * @param signed the payload of the signed envelope
   * @throws ApiException 409 naming both digests when they differ
   */
  public void requireSame(byte[] signed) {
    if (!Arrays.equals(bytes, signed)) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "the signed payload has digest "
              + Digest.of(signed)
              + ", but "
              + what
              + " waiting for a signature has "
              + digest()
              + ": sign the payload the hub serves for it, unchanged");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PendingPayload p
        && what.equals(p.what)
        && Arrays.equals(bytes, p.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * what.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "PendingPayload[" + what + ", " + digest() + "]";
  }
}
