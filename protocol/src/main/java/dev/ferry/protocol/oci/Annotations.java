package dev.ferry.protocol.oci;

/** Annotation keys Ferry writes on manifests and layers. */
public final class Annotations {
  /** ModelPack: the path of a layer's file inside the model directory. */
  public static final String MODEL_FILEPATH = "org.cncf.model.filepath";

  /** OCI: when the artifact was created (RFC 3339). */
  public static final String CREATED = "org.opencontainers.image.created";

  /** OCI: a human-readable title, used for file names. */
  public static final String TITLE = "org.opencontainers.image.title";

  /** OCI: the version of the packaged software, here the model version. */
  public static final String VERSION = "org.opencontainers.image.version";

  /**
   * Ferry, on a manifest descriptor of a release's image index and on the variant's manifest: the
   * variant's name, for example {@code fp16-cuda}.
   */
  public static final String VARIANT_NAME = "dev.ferry.variant.name";

  /**
   * Ferry, beside {@link #VARIANT_NAME}: the execution providers the variant targets, best first,
   * comma-separated ({@code TENSORRT,CUDA}); empty when it fits any.
   */
  public static final String VARIANT_PROVIDERS = "dev.ferry.variant.providers";

  /** Ferry, beside {@link #VARIANT_NAME}: the variant's precision ({@code FP16}). */
  public static final String VARIANT_PRECISION = "dev.ferry.variant.precision";

  private Annotations() {}
}
