package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturePolicy;

/**
 * Whether a device may send samples of one model version: the policy in force for it, or why not.
 *
 * @param policy the policy; null when refused
 * @param refusal why the device may not send them; null when granted
 */
record CaptureGrant(CapturePolicy policy, String refusal) {
  static CaptureGrant of(CapturePolicy policy) {
    return new CaptureGrant(policy, null);
  }

  static CaptureGrant refused(String refusal) {
    return new CaptureGrant(null, refusal);
  }
}
