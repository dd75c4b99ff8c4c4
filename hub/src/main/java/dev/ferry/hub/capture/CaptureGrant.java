package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturePolicy;

/**
 * Whether a device may send samples of one model version: the policy in force for it, or why not.
 *
 * @param policy the policy; null when refused
 * @param record the policy as set, which the samples are stored with; null when refused
 * @param refusal why the device may not send them; null when granted
 */
record CaptureGrant(CapturePolicy policy, PolicyRecord record, String refusal) {
  static CaptureGrant of(PolicyRecord record) {
    return new CaptureGrant(record.policy(), record, null);
  }

  static CaptureGrant refused(String refusal) {
    return new CaptureGrant(null, null, refusal);
  }
}
