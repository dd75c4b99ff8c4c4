package dev.ferry.protocol.registry;

import dev.ferry.protocol.oci.Digest;

/** Content does not hash to the digest it was asked for by; nothing of it is kept. */
public final class DigestMismatchException extends RegistryException {
  private static final long serialVersionUID = 1L;

  DigestMismatchException(String what, Digest expected, Digest actual) {
    super(0, what + " " + expected + " has digest " + actual);
  }
}
