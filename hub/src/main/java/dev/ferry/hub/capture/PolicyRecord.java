package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A capture policy as it was in force for a sample: its scope and its JSON exactly as the release
 * manager set it, so its digest names that one setting of that one scope.
 *
 * @param rolloutId the rollout it was set on; null when set on the release version
 * @param json the policy's JSON as stored
 */
record PolicyRecord(String rolloutId, String json) {
  private static final JsonCodec CODEC = new JsonCodec();

  PolicyRecord {
    Objects.requireNonNull(json, "json");
  }

  /** The record of a policy set now, encoded once. */
  static PolicyRecord of(String rolloutId, CapturePolicy policy) {
    return new PolicyRecord(rolloutId, new String(CODEC.encode(policy), StandardCharsets.UTF_8));
  }

  /** The policy. */
  CapturePolicy policy() {
    return CODEC.decode(json.getBytes(StandardCharsets.UTF_8), CapturePolicy.class);
  }

  /** What it was set on: {@code release} or {@code rollout}. */
  String scope() {
    return rolloutId == null ? "release" : "rollout";
  }

  /** The digest of its scope and JSON: equal exactly for the same setting of the same scope. */
  Digest digest() {
    String scoped = (rolloutId == null ? "release" : "rollout " + rolloutId) + "\n" + json;
    return Digest.of(scoped.getBytes(StandardCharsets.UTF_8));
  }
}
