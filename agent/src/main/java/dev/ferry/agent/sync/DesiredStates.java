package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.trust.RefusedRootChainException;
import dev.ferry.agent.trust.RejectedDesiredStateException;
import dev.ferry.agent.trust.RootUpdate;
import dev.ferry.agent.trust.VerifiedDesired;
import dev.ferry.protocol.device.EventType;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The desired states this device accepts, and the trust roots they are checked under: a state is
 * verified against the current root and the accepted sequence, and the last refused one is kept to
 * be tried again once a new root arrives.
 */
final class DesiredStates {
  private static final Logger LOG = Logger.getLogger(DesiredStates.class);

  private final Applier.Parts parts;
  private final SavedState state;
  private final Reports reports;
  private byte[] refused;

  DesiredStates(Applier.Parts parts, SavedState state, Reports reports) {
    this.parts = parts;
    this.state = state;
    this.reports = reports;
  }

  /**
   * Verifies a desired state; a refusal other than a duplicate is logged, reported and kept.
   *
   * @param payload the DSSE envelope bytes
   * @return the verified state; empty if refused
   */
  Optional<VerifiedDesired> verify(byte[] payload) {
    AgentState now = state.get();
    try {
      VerifiedDesired verified =
          parts
              .verifier()
              .verify(payload, parts.deviceId(), now.accepted(), parts.clock().instant());
      refused = null;
      return Optional.of(verified);
    } catch (RejectedDesiredStateException e) {
      if (e.reason() != Reason.DUPLICATE) {
        refused = payload;
        LOG.warnf("refused a desired state: %s", e.getMessage());
        reports.event(EventType.DESIRED_REJECTED, null, null, e.failure().text());
      }
      return Optional.empty();
    }
  }

  /** Accepts a verified state: saved, fresh, reported; each refused prefetch reported too. */
  void accept(VerifiedDesired verified) {
    AgentState now = state.get();
    state.save(
        now.accept(verified.acceptedFrom(now.accepted()), verified.targets(), verified.prefetch()));
    parts.freshness().fresh();
    reports.event(EventType.DESIRED_ACCEPTED, null, null, null);
    verified
        .refusedPrefetch()
        .forEach(
            (model, failure) -> {
              LOG.warnf("not prefetching %s: %s", model, failure);
              reports.event(EventType.FAILED, model, null, "prefetch refused: " + failure.text());
            });
  }

  /**
   * Walks the hub's chain of trust roots from the held one; a new hub key resets the accepted
   * desired sequence.
   *
   * @param payload the {@code ferry.rootchain/v1} bytes
   * @return the last refused desired state, to try again under the new root; empty if the root did
   *     not change or none was refused
   */
  Optional<byte[]> followRoots(byte[] payload) {
    RootUpdate update;
    try {
      update = parts.roots().follow(payload, parts.clock().instant());
    } catch (RefusedRootChainException e) {
      LOG.warnf("%s", e.getMessage());
      reports.event(EventType.TRUST_ROOT_REFUSED, null, null, e.getMessage());
      return Optional.empty();
    }
    if (!update.changed()) {
      return Optional.empty();
    }
    rotated(update);
    return Optional.ofNullable(refused);
  }

  private void rotated(RootUpdate update) {
    int version = update.after().version();
    LOG.infof("trust root version %d accepted (was %d)", version, update.before().version());
    if (update.hubKeysChanged()) {
      state.save(state.get().withAccepted(state.get().accepted().newHubKey()));
    }
    reports.event(EventType.TRUST_ROOT_ACCEPTED, null, null, "trust root version " + version);
    reports.send();
  }
}
