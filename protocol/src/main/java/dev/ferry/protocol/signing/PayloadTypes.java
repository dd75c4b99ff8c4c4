package dev.ferry.protocol.signing;

/** The DSSE payload types Ferry signs. */
public final class PayloadTypes {
  /** An in-toto statement: the release statement, signed by the release role. */
  public static final String IN_TOTO = "application/vnd.in-toto+json";

  /** A desired state, signed by the hub role. */
  public static final String DESIRED = "application/vnd.ferry.desired+json";

  /** A trust root, signed by the root role. */
  public static final String ROOT = "application/vnd.ferry.root+json";

  /** The revocation list of releases, signed by the release role. */
  public static final String REVOCATIONS = "application/vnd.ferry.revocations+json";

  private PayloadTypes() {}
}
