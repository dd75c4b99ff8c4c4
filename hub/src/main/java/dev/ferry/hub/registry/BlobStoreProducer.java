package dev.ferry.hub.registry;

import dev.ferry.hub.config.HubConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the {@link BlobStore} under {@code <ferry.hub.data-dir>/registry} a bean. */
@Singleton
class BlobStoreProducer {
  @Produces
  @Singleton
  BlobStore blobStore(HubConfig config) {
    return new BlobStore(config.dataDir().resolve("registry"));
  }
}
