package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturePolicy;

/**
 * What setting or clearing a capture policy did, as the API answers it.
 *
 * @param policy the policy set; null when cleared
 * @param devicesResigned how many devices got a new signed desired state carrying the change
 */
public record PolicyChange(CapturePolicy policy, int devicesResigned) {
  /** A clear's answer; 404 when the scope had no policy. */
  static PolicyChange cleared(PolicyScope scope, int devicesResigned) {
    if (devicesResigned < 0) {
      throw CaptureResource.noPolicy(scope);
    }
    return new PolicyChange(null, devicesResigned);
  }
}
