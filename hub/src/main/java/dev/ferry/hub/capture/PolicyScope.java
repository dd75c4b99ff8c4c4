package dev.ferry.hub.capture;

/**
 * What a capture policy is set on: a release version (its devices, whichever rollout assigned it)
 * or one rollout (the devices it assigned; wins over the version's).
 *
 * @param model the model
 * @param version the version; null for a rollout's
 * @param rolloutId the rollout; null for a version's
 */
public record PolicyScope(String model, String version, String rolloutId) {
  /** A release version's scope. */
  public static PolicyScope version(String model, String version) {
    return new PolicyScope(model, version, null);
  }

  /** A rollout's scope, for the rollout's model and version. */
  public static PolicyScope rollout(String rolloutId, String model, String version) {
    return new PolicyScope(model, version, rolloutId);
  }

  /** Whether this is a rollout's scope. */
  public boolean isRollout() {
    return rolloutId != null;
  }

  /** The key of its policy row: the rollout id, or the model and version. */
  public java.util.List<Object> key() {
    return isRollout() ? java.util.List.of(rolloutId) : java.util.List.of(model, version);
  }

  @Override
  public String toString() {
    return isRollout()
        ? "rollout '" + rolloutId + "'"
        : "model '" + model + "' version '" + version + "'";
  }
}
