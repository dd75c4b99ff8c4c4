package dev.ferry.protocol.device;

import dev.ferry.protocol.signing.RootChain;

/** The retained topics through which the hub hands the fleet its trust documents. */
public final class TrustTopics {
  /** The whole chain of signed roots, a {@link RootChain}; retained, QoS 1, written by the hub. */
  public static final String ROOTS = "ferry/v1/trust/roots";

  /**
   * The revocation list, a DSSE envelope of {@link dev.ferry.protocol.release.Revocations} signed
   * by the release role; retained, QoS 1, written by the hub.
   */
  public static final String REVOCATIONS = "ferry/v1/trust/revocations";

  private TrustTopics() {}
}
