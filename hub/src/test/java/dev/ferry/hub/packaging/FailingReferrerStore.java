package dev.ferry.hub.packaging;

import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.hub.registry.BlobStore;
import dev.ferry.hub.registry.EmbeddedRegistry;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;

/** The embedded registry, except that attaching a signature fails: a publish failing late. */
@Alternative
@Singleton
public class FailingReferrerStore implements ArtifactStore {
  private final EmbeddedRegistry delegate;

  @Inject
  FailingReferrerStore(BlobStore store) {
    this.delegate = new EmbeddedRegistry(store, "127.0.0.1:1");
  }

  @Override
  public String registry() {
    return delegate.registry();
  }

  @Override
  public String repositoryOf(String model) {
    return delegate.repositoryOf(model);
  }

  @Override
  public void putBlob(String repository, Digest digest, Path file) throws IOException {
    delegate.putBlob(repository, digest, file);
  }

  @Override
  public Digest putBlob(String repository, byte[] bytes) throws IOException {
    return delegate.putBlob(repository, bytes);
  }

  @Override
  public Digest putManifest(String repository, String tag, String mediaType, byte[] bytes)
      throws IOException {
    return delegate.putManifest(repository, tag, mediaType, bytes);
  }

  @Override
  public Digest putReferrer(String repository, Manifest referrer) throws IOException {
    throw new IOException("registry went away");
  }

  @Override
  public void deleteManifest(String repository, String tag, Digest digest) throws IOException {
    delegate.deleteManifest(repository, tag, digest);
  }
}
