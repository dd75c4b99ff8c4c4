package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ModelNames;

/**
 * An installed version of a model on a device.
 *
 * @param version the release version
 * @param manifestDigest the artifact's manifest digest
 * @param releaseSeq the release sequence
 * @param executionProvider the execution provider its session runs on, for example {@code CPU}
 */
public record VersionInfo(
    String version,
    Digest manifestDigest,
    @JsonProperty(required = true) long releaseSeq,
    String executionProvider) {
  /** Checks the fields. */
  public VersionInfo {
    ModelNames.requireVersion(version, "version");
    Fields.required(manifestDigest, "manifestDigest");
    Fields.atLeast(releaseSeq, 1, "releaseSeq");
    Fields.text(executionProvider, "executionProvider");
  }
}
