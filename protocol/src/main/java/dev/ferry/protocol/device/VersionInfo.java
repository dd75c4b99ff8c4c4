package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ModelNames;
import dev.ferry.protocol.release.ReleaseVariant;

/**
 * An installed version of a model on a device.
 *
 * @param version the release version
 * @param manifestDigest the artifact's manifest digest
 * @param releaseSeq the release sequence
 * @param executionProvider the execution provider its session runs on, for example {@code CPU}
 * @param variant the release variant installed, for example {@code fp32-cpu}; null for a release of
 *     one model file and from older agents
 */
public record VersionInfo(
    String version,
    Digest manifestDigest,
    @JsonProperty(required = true) long releaseSeq,
    String executionProvider,
    String variant) {
  /** Checks the fields. */
  public VersionInfo {
    ModelNames.requireVersion(version, "version");
    Fields.required(manifestDigest, "manifestDigest");
    Fields.atLeast(releaseSeq, 1, "releaseSeq");
    Fields.text(executionProvider, "executionProvider");
    if (variant != null) {
      Fields.matching(variant, ReleaseVariant.NAME, "variant");
    }
  }

  /**
   * A version of a release of one model file.
   *
   * @param version the release version
   * @param manifestDigest the artifact's manifest digest
   * @param releaseSeq the release sequence
   * @param executionProvider the execution provider its session runs on
   */
  public VersionInfo(
      String version, Digest manifestDigest, long releaseSeq, String executionProvider) {
    this(version, manifestDigest, releaseSeq, executionProvider, null);
  }
}
