package dev.ferry.hub.registry;

import dev.ferry.protocol.oci.Digest;
import java.io.IOException;

/** Content put into the store does not hash to the digest the caller gave; nothing is kept. */
public final class UnexpectedDigestException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Digest expected;
  private final transient Digest actual;

  UnexpectedDigestException(Digest expected, Digest actual) {
    super("blob " + expected + " has digest " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /** The digest the caller gave. */
  public Digest expected() {
    return expected;
  }

  /** The digest of the content. */
  public Digest actual() {
    return actual;
  }
}
