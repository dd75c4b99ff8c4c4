package dev.ferry.protocol.oci;

import java.io.IOException;

/**
 * Content does not hash to the digest it was asked for, stored or pushed under: {@code "blob
 * sha256:ab… has digest sha256:cd…"}. Whoever throws it keeps nothing of the content.
 */
public final class DigestMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Digest expected;
  private final transient Digest actual;

  /**
   * Creates the exception.
   *
   * @param what the content, for the message: {@code "blob"}, {@code "manifest"}
   * @param expected the digest the content should have
   * @param actual the digest it has
   */
  public DigestMismatchException(String what, Digest expected, Digest actual) {
    this(what, expected, actual, null);
  }

  /**
   * Creates the exception with what was done about it.
   *
   * @param what the content, for the message: {@code "cached blob"}
   * @param expected the digest the content should have
   * @param actual the digest it has
   * @param consequence appended after a semicolon, or null: {@code "removed it from the cache"}
   */
  public DigestMismatchException(String what, Digest expected, Digest actual, String consequence) {
    super(
        what
            + " "
            + expected
            + " has digest "
            + actual
            + (consequence == null ? "" : "; " + consequence));
    this.expected = expected;
    this.actual = actual;
  }

  /** The digest the content should have. */
  public Digest expected() {
    return expected;
  }

  /** The digest the content has. */
  public Digest actual() {
    return actual;
  }
}
