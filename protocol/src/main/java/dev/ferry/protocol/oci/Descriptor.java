package dev.ferry.protocol.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OCI content descriptor: what a manifest says about one blob or manifest.
 *
 * @param mediaType the media type of the referenced content
 * @param digest its digest
 * @param size its size in bytes
 * @param annotations its annotations; empty when none
 * @param artifactType the artifact type of a referenced manifest; null when none
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@MaxBytes(1 << 20)
public record Descriptor(
    String mediaType,
    Digest digest,
    @JsonProperty(required = true) long size,
    Map<String, String> annotations,
    String artifactType) {

  /** Checks and copies the fields. */
  public Descriptor {
    Fields.text(mediaType, "mediaType");
    Fields.required(digest, "digest");
    Fields.atLeast(size, 0, "size");
    annotations = Fields.map(annotations, "annotations");
  }

  /**
   * A descriptor with no annotations and no artifact type.
   *
   * @param mediaType the media type
   * @param digest the digest
   * @param size the size in bytes
   * @return the descriptor
   */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of(), null);
  }

  /**
   * This descriptor with one more annotation.
   *
   * @param key the annotation key
   * @param value its value
   * @return a new descriptor
   */
  public Descriptor withAnnotation(String key, String value) {
    var copy = new TreeMap<>(annotations);
    copy.put(key, value);
    return new Descriptor(mediaType, digest, size, copy, artifactType);
  }
}
