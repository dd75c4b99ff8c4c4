package dev.ferry.protocol.oci;

/** Media types of OCI manifests and of Ferry's ModelPack artifact. */
public final class MediaTypes {
  /** An OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** An OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** The empty JSON descriptor ({@code {}}), used as config of non-image artifacts. */
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  /** A Docker schema 2 manifest, accepted when pulling. */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** A Docker manifest list, accepted when pulling. */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** The {@code artifactType} of a ModelPack model manifest. */
  public static final String MODEL_ARTIFACT = "application/vnd.cncf.model.manifest.v1+json";

  /** The ModelPack model config blob. */
  public static final String MODEL_CONFIG = "application/vnd.cncf.model.config.v1+json";

  /** A model weight file, raw (not archived): {@code model.onnx} and its external data. */
  public static final String MODEL_WEIGHT_RAW = "application/vnd.cncf.model.weight.v1.raw";

  /** A weight configuration file, raw: Ferry's {@code serving.json}. */
  public static final String MODEL_WEIGHT_CONFIG_RAW =
      "application/vnd.cncf.model.weight.config.v1.raw";

  /** A dataset file, raw: Ferry's golden vectors. */
  public static final String MODEL_DATASET_RAW = "application/vnd.cncf.model.dataset.v1.raw";

  /** The {@code artifactType} of a DSSE signature stored as a referrer of the model manifest. */
  public static final String DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";

  /** Every manifest media type a pull accepts, as an {@code Accept} header value. */
  public static final String ACCEPT_MANIFESTS =
      String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

  private MediaTypes() {}
}
