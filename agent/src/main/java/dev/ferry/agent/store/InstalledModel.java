package dev.ferry.agent.store;

import dev.ferry.protocol.oci.Digest;
import java.util.HashSet;
import java.util.Set;

/**
 * The installed versions of one model: the one serving and the one to fall back to.
 *
 * @param active the serving version
 * @param fallback the previous version, kept for a swap back; null when there is none
 */
public record InstalledModel(InstalledVersion active, InstalledVersion fallback) {
  /** Checks that a version is active. */
  public InstalledModel {
    if (active == null) {
      throw new IllegalArgumentException("active is missing");
    }
  }

  /**
   * This slot after activating a new version: the active one becomes the fallback.
   *
   * @param next the new version
   * @return the new slot
   */
  public InstalledModel activate(InstalledVersion next) {
    return new InstalledModel(next, active);
  }

  /** The blobs of the active and the fallback version. */
  public Set<Digest> blobs() {
    Set<Digest> all = new HashSet<>(active.blobs());
    if (fallback != null) {
      all.addAll(fallback.blobs());
    }
    return all;
  }
}
