package dev.ferry.agent.trust;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.ExpiredRootException;
import dev.ferry.protocol.signing.RootChain;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Walks the hub's chain of trust roots ({@code ferry/v1/trust/roots}) from the stored root. */
public final class RootFollower {
  private final TrustStore store;
  private final JsonCodec codec;
  private final int maxSteps;

  /**
   * A follower.
   *
   * @param store where the accepted roots are kept
   * @param codec decodes the chain
   * @param maxSteps {@code ferry.agent.trust.max-chain-steps}
   */
  public RootFollower(TrustStore store, JsonCodec codec, int maxSteps) {
    if (maxSteps < 1) {
      throw new IllegalStateException(
          "ferry.agent.trust.max-chain-steps: must be at least 1, got " + maxSteps);
    }
    this.store = store;
    this.codec = codec;
    this.maxSteps = maxSteps;
  }

  /** The root the device holds now. */
  public TrustRoot current() {
    return store.root();
  }

  /**
   * Accepts every newer root of a chain, each persisted before the next is verified.
   *
   * @param payload the chain as received
   * @param now the current time
   * @return the roots before and after
   * @throws RefusedRootChainException naming the broken rule; the stored root stays in effect
   */
  public RootUpdate follow(byte[] payload, Instant now) {
    TrustRoot before = store.root();
    try {
      RootChain chain = codec.decode(payload, RootChain.class);
      chain.stepsFrom(before, now, maxSteps, codec).forEach(store::rotate);
    } catch (IllegalArgumentException
        | UntrustedSignatureException
        | ExpiredRootException
        | UncheckedIOException e) {
      throw new RefusedRootChainException(
          "trust root chain refused at version " + before.version() + ": " + e.getMessage());
    }
    return new RootUpdate(before, store.root());
  }
}
