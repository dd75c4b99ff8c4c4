package dev.ferry.hub.capture;

/**
 * Re-signs the desired states of the devices a capture policy change affects, so the change reaches
 * them now rather than with their next rollout. The rollout feature implements it (it owns the
 * desired states); kept as an interface here so capture does not depend on rollout.
 */
public interface PolicyReissue {
  /**
   * Re-signs and publishes the desired states of the devices in a scope.
   *
   * @param scope the scope whose policy changed
   * @return how many devices got a new desired state
   */
  int reissue(PolicyScope scope);
}
