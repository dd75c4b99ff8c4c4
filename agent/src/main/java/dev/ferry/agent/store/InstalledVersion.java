package dev.ferry.agent.store;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.signing.Envelope;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One installed, verified version of a model and the cached blobs it needs.
 *
 * @param name the model name
 * @param version the release's version
 * @param manifestDigest the signed manifest's digest (cached too): the model manifest, or the image
 *     index of a release with several variants
 * @param releaseSeq the release's sequence
 * @param files the layer digests by {@code org.cncf.model.filepath}: {@code model.onnx}, {@code
 *     serving.json}, {@code golden.json} and any external-data files
 * @param release the release statement envelope, kept so the version can be re-verified offline
 * @param variant the variant installed, for a release with several; null otherwise
 */
public record InstalledVersion(
    String name,
    String version,
    Digest manifestDigest,
    long releaseSeq,
    Map<String, Digest> files,
    Envelope release,
    InstalledVariant variant) {
  /** Checks the fields and copies the map. */
  public InstalledVersion {
    Fields.text(name, "name");
    Fields.text(version, "version");
    Fields.required(manifestDigest, "manifestDigest");
    Fields.atLeast(releaseSeq, 1, "releaseSeq");
    files = Fields.map(Fields.required(files, "files"), "files");
    Fields.required(release, "release");
  }

  /**
   * A version of a release of one model file.
   *
   * @param name the model name
   * @param version the release's version
   * @param manifestDigest the model manifest's digest
   * @param releaseSeq the release's sequence
   * @param files the layer digests by file path
   * @param release the release statement envelope
   */
  public InstalledVersion(
      String name,
      String version,
      Digest manifestDigest,
      long releaseSeq,
      Map<String, Digest> files,
      Envelope release) {
    this(name, version, manifestDigest, releaseSeq, files, release, null);
  }

  /** Every blob this version needs: the manifest (and the variant's), and each layer. */
  public Set<Digest> blobs() {
    Set<Digest> all = new HashSet<>(files.values());
    all.add(manifestDigest);
    if (variant != null) {
      all.add(variant.manifestDigest());
    }
    return all;
  }
}
