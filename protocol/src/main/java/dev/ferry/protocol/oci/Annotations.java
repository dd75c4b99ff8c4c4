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

  private Annotations() {}
}
