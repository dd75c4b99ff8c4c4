package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturePolicy;
import java.util.Objects;

/**
 * The capture policy a dataset's samples came under, as its {@code dev.ferry.capture.policy*}
 * annotations name it.
 *
 * @param scope where it was set: {@code release} (the version's) or {@code rollout}
 * @param rollout the rollout it was set on; null for the release's
 * @param digest the digest of its scope and JSON: equal for datasets captured under one setting
 * @param policy the policy: sample rate, caps, tensors, rules, selector
 */
public record DatasetPolicy(String scope, String rollout, String digest, CapturePolicy policy) {
  /** Requires scope, digest and policy. */
  public DatasetPolicy {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(policy, "policy");
  }

  /** The policy a record names; null when not known. */
  static DatasetPolicy of(PolicyRecord record) {
    return record == null
        ? null
        : new DatasetPolicy(
            record.scope(), record.rolloutId(), record.digest().toString(), record.policy());
  }
}
