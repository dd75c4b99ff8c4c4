package dev.ferry.hub.registry;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import java.io.IOException;
import java.nio.file.Path;

/** The hub's own registry: the {@link BlobStore}, served to agents under {@code /v2/}. */
public final class EmbeddedRegistry implements ArtifactStore {
  private final BlobStore store;
  private final String registry;

  /**
   * @param store the blob store
   * @param registry the hub's address as agents reach it, {@code host[:port]}
   */
  public EmbeddedRegistry(BlobStore store, String registry) {
    this.store = store;
    this.registry = registry;
  }

  @Override
  public String registry() {
    return registry;
  }

  @Override
  public String repositoryOf(String model) {
    return "models/" + model;
  }

  @Override
  public void putBlob(String repository, Digest digest, Path file) throws IOException {
    store.putBlob(repository, MediaTypes.MODEL_WEIGHT_RAW, file, digest);
  }

  @Override
  public Digest putBlob(String repository, byte[] bytes) throws IOException {
    return store.putBlob(repository, "application/octet-stream", bytes).digest();
  }

  @Override
  public Digest putManifest(String repository, String tag, String mediaType, byte[] bytes)
      throws IOException {
    return store.putManifest(repository, tag, mediaType, bytes);
  }

  @Override
  public Digest putReferrer(String repository, Manifest referrer) throws IOException {
    return store.putManifest(
        repository, null, MediaTypes.OCI_MANIFEST, new JsonCodec().encode(referrer));
  }

  /** Removes the manifest, its tags, and the blobs nothing else holds any more. */
  @Override
  public void deleteManifest(String repository, String tag, Digest digest) throws IOException {
    store.deleteManifest(repository, digest);
  }
}
