package dev.ferry.protocol.device;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.ModelNames;

/**
 * A device's report on one model.
 *
 * @param name the model name
 * @param status where the device stands with the desired version
 * @param desiredVersion the version the latest accepted desired state assigns; null if unknown
 * @param active the version serving now; null if none
 * @param fallback the version kept to swap back to; null if none
 * @param reason why the status is FAILED or ROLLED_BACK; null otherwise
 */
public record ModelReport(
    String name,
    ModelStatus status,
    String desiredVersion,
    VersionInfo active,
    VersionInfo fallback,
    String reason) {
  /** Checks the fields. */
  public ModelReport {
    ModelNames.requireName(name, "name");
    Fields.required(status, "status");
    if (desiredVersion != null) {
      ModelNames.requireVersion(desiredVersion, "desiredVersion");
    }
  }
}
