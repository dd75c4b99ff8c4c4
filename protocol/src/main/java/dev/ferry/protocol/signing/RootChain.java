package dev.ferry.protocol.signing;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole chain of signed trust roots, versions 1..N in ascending order, as the hub publishes it
 * retained on {@link dev.ferry.protocol.device.TrustTopics#ROOTS}. A device walks it from the root
 * it holds with {@link #stepsFrom}.
 *
 * @param roots the signed roots ({@link PayloadTypes#ROOT} envelopes), oldest first
 */
@Schema("ferry.rootchain/v1")
@MaxBytes(8 << 20)
public record RootChain(List<Envelope> roots) {
  /** Checks that there is at least one root. */
  public RootChain {
    roots = Fields.nonEmptyList(roots, "roots");
  }

  /**
   * The steps that lead from {@code current} to the newest root of this chain, each verified: the
   * version exactly one above the previous, signed by a threshold of the previous root's root keys
   * and of its own. Roots at or below {@code current}'s version are replays of what the device
   * already holds and are skipped. As in TUF, an intermediate root may have expired since; the
   * newest one must not have.
   *
   * @param current the root the device holds
   * @param now the current time
   * @param maxSteps the most rotations accepted in one walk, at least 1
   * @param codec the codec to decode the roots with
   * @return the envelopes to accept in order; empty when the chain holds nothing newer
   * @throws UntrustedSignatureException if a step breaks a rotation rule or the walk is too long
   * @throws ExpiredRootException if the newest root has expired
   */
  public List<Envelope> stepsFrom(TrustRoot current, Instant now, int maxSteps, JsonCodec codec) {
    Fields.atLeast(maxSteps, 1, "maxSteps");
    List<Envelope> newer = newerThan(current.version(), codec);
    if (newer.size() > maxSteps) {
      throw new UntrustedSignatureException(
          String.format(
              "root chain: %d rotations from version %d exceed the limit of %d",
              newer.size(), current.version(), maxSteps));
    }
    TrustRoot root = current;
    for (Envelope step : newer) {
      root = root.verifyNext(step, codec);
    }
    if (!newer.isEmpty() && root.isExpiredAt(now)) {
      throw new ExpiredRootException(root.version(), root.expiresAt());
    }
    return newer;
  }

  /** The roots above {@code version}, read without trusting them: only their versions count. */
  private List<Envelope> newerThan(int version, JsonCodec codec) {
    List<Envelope> newer = new ArrayList<>();
    for (Envelope envelope : roots) {
      if (claimedVersion(envelope, codec) > version) {
        newer.add(envelope);
      }
    }
    return newer;
  }

  private static int claimedVersion(Envelope envelope, JsonCodec codec) {
    if (!PayloadTypes.ROOT.equals(envelope.payloadType())) {
      throw new UntrustedSignatureException(
          "root chain: payloadType must be "
              + Fields.show(PayloadTypes.ROOT)
              + ", got "
              + Fields.show(envelope.payloadType()));
    }
    return codec.decode(envelope.payloadBytes(), TrustRoot.class).version();
  }
}
