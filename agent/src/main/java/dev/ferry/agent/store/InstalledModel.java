package dev.ferry.agent.store;

import dev.ferry.protocol.oci.Digest;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

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

  /**
   * The active or fallback version of that name.
   *
   * @param version the version
   * @return it, if installed
   */
  public Optional<InstalledVersion> version(String version) {
    return Stream.of(active, fallback)
        .filter(v -> v != null && v.version().equals(version))
        .findFirst();
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
