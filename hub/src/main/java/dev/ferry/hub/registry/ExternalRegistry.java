package dev.ferry.hub.registry;

import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.registry.NotFoundException;
import dev.ferry.protocol.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An external OCI registry reached through the protocol's client, e.g. {@code
 * registry.example.com/ferry} (host, then an optional repository prefix).
 */
public final class ExternalRegistry implements ArtifactStore {
  private final RegistryClient client;
  private final String prefix;

  /**
   * @param client the client for the registry's host
   * @param prefix the repository prefix, possibly empty
   */
  public ExternalRegistry(RegistryClient client, String prefix) {
    this.client = client;
    this.prefix = prefix.isEmpty() ? "" : prefix + "/";
  }

  @Override
  public String registry() {
    return client.registry();
  }

  @Override
  public String repositoryOf(String model) {
    return prefix + "models/" + model;
  }

  @Override
  public void putBlob(String repository, Digest digest, Path file) throws IOException {
    client.pushBlob(repository, digest, file, sent -> {});
  }

  @Override
  public Digest putBlob(String repository, byte[] bytes) throws IOException {
    return client.pushBlob(repository, bytes);
  }

  @Override
  public Digest putManifest(String repository, String tag, String mediaType, byte[] bytes)
      throws IOException {
    return client.putManifest(repository, tag, mediaType, bytes);
  }

  @Override
  public Digest putReferrer(String repository, Manifest referrer) throws IOException {
    return client.pushReferrer(repository, referrer);
  }

  /**
   * Deletes the manifest through the registry API (Distribution answers 405 unless {@code
   * REGISTRY_STORAGE_DELETE_ENABLED=true}); one already gone counts as deleted. The registry frees
   * the blobs' space only in its own garbage collection.
   */
  @Override
  public void deleteManifest(String repository, String tag, Digest digest) throws IOException {
    try {
      client.deleteManifest(repository, digest);
    } catch (NotFoundException e) {
      // deleted before: by another replica, or by hand
    }
  }
}
