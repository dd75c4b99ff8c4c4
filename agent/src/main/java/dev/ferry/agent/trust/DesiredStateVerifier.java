package dev.ferry.agent.trust;

import static dev.ferry.agent.failure.Reason.DUPLICATE;
import static dev.ferry.agent.failure.Reason.EXPIRED;
import static dev.ferry.agent.failure.Reason.REPLAYED_SEQUENCE;
import static dev.ferry.agent.failure.Reason.ROOT_EXPIRED;
import static dev.ferry.agent.failure.Reason.UNTRUSTED_SIGNATURE;
import static dev.ferry.agent.failure.Reason.WRONG_DEVICE;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.store.AcceptedState;
import dev.ferry.agent.store.Target;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Applies every signing rule of the design to a desired state received over MQTT. */
public final class DesiredStateVerifier {
  private final Supplier<TrustRoot> trust;
  private final SignedPayloads signed;

  /**
   * A verifier.
   *
   * @param trust the current trust root, asked once per message so that a rotation takes effect
   * @param codec decodes the envelope and the verified payloads; {@code Envelope}'s cap bounds the
   *     MQTT payload
   */
  public DesiredStateVerifier(Supplier<TrustRoot> trust, JsonCodec codec) {
    this.trust = trust;
    this.signed = new SignedPayloads(codec);
  }

  /**
   * Verifies a desired state: the hub signature before parsing, then device, sequence, expiry, and
   * each model's release statement; a prefetched release whose statement breaks a rule is left out
   * ({@link VerifiedDesired#refusedPrefetch}), the state still accepted.
   *
   * @param mqttPayload the bytes received on the desired topic: a DSSE envelope
   * @param deviceId this device's id
   * @param accepted what this device has accepted so far
   * @param now the current time
   * @return the verified state and release statements
   * @throws RejectedDesiredStateException naming the broken rule and the values
   */
  public VerifiedDesired verify(
      byte[] mqttPayload, String deviceId, AcceptedState accepted, Instant now) {
    TrustRoot root = trust.get();
    checkRoot(root, now);
    byte[] payload = hubSigned(root, mqttPayload);
    DesiredState state = signed.decode(payload, DesiredState.class, "desired state");
    Digest digest = Digest.of(payload);
    checkDevice(state, deviceId);
    checkSequence(state, digest, accepted);
    checkExpiry(state, now);
    Map<String, ReleaseStatement> statements = statements(root, state, accepted, now);
    List<Target> prefetch = new ArrayList<>();
    Map<String, Failure> refused = new LinkedHashMap<>();
    ReleaseVerifier releases = new ReleaseVerifier(root, signed);
    for (ModelAssignment model : state.prefetch()) {
      try {
        prefetch.add(new Target(model, releases.verify(model, accepted, now)));
      } catch (RejectedDesiredStateException e) {
        refused.put(model.name(), e.failure());
      }
    }
    return new VerifiedDesired(state, statements, digest, prefetch, refused);
  }

  /** The payload of a desired-state envelope, once the hub's signature on it is verified. */
  private byte[] hubSigned(TrustRoot root, byte[] mqttPayload) {
    Envelope envelope = signed.decode(mqttPayload, Envelope.class, "desired state envelope");
    signed.requireType(envelope, PayloadTypes.DESIRED, "desired state");
    return signed.verify(root, Role.HUB, envelope, UNTRUSTED_SIGNATURE, "desired state is not");
  }

  private Map<String, ReleaseStatement> statements(
      TrustRoot root, DesiredState state, AcceptedState accepted, Instant now) {
    ReleaseVerifier releases = new ReleaseVerifier(root, signed);
    Map<String, ReleaseStatement> statements = new LinkedHashMap<>();
    for (ModelAssignment model : state.models()) {
      statements.put(model.name(), releases.verify(model, accepted, now));
    }
    return statements;
  }

  private static void checkDevice(DesiredState state, String deviceId) {
    if (!state.deviceId().equals(deviceId)) {
      throw new RejectedDesiredStateException(
          WRONG_DEVICE,
          "desired state is for device "
              + Fields.show(state.deviceId())
              + ", this device is "
              + Fields.show(deviceId));
    }
  }

  private static void checkSequence(DesiredState state, Digest digest, AcceptedState accepted) {
    long sequence = state.sequence();
    if (sequence == accepted.sequence() && digest.equals(accepted.payloadDigest())) {
      throw new RejectedDesiredStateException(
          DUPLICATE, "desired sequence " + sequence + " is the accepted one, delivered again");
    }
    if (sequence <= accepted.sequence()) {
      throw new RejectedDesiredStateException(
          REPLAYED_SEQUENCE, replay(sequence, accepted.sequence()));
    }
  }

  private static String replay(long sequence, long accepted) {
    return "desired sequence " + sequence + " is not above the accepted " + accepted + " (replay)";
  }

  private static void checkRoot(TrustRoot root, Instant now) {
    if (root.isExpiredAt(now)) {
      throw new RejectedDesiredStateException(
          ROOT_EXPIRED,
          "trust root version "
              + root.version()
              + " expired at "
              + root.expiresAt()
              + "; desired states are refused until the hub's chain brings a newer root");
    }
  }

  private static void checkExpiry(DesiredState state, Instant now) {
    if (state.isExpiredAt(now)) {
      throw new RejectedDesiredStateException(
          EXPIRED,
          "desired sequence "
              + state.sequence()
              + " expired at "
              + state.expiresAt()
              + ", now "
              + now
              + " (freeze)");
    }
  }
}
