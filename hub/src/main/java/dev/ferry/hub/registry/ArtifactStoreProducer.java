package dev.ferry.hub.registry;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.RegistryClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The external registry when {@code ferry.hub.registry.url} is set, the embedded one otherwise. */
@Singleton
class ArtifactStoreProducer {
  @Produces
  @Singleton
  ArtifactStore artifactStore(
      HubConfig config,
      BlobStore store,
      @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
    var external = config.registry().url().filter(url -> !url.isBlank());
    if (external.isEmpty()) {
      String publicUrl = config.publicUrl().orElse("http://127.0.0.1:" + port);
      return new EmbeddedRegistry(store, URI.create(publicUrl).getAuthority());
    }
    String url = external.get().replaceFirst("^[a-z]+://", "");
    int slash = url.indexOf('/');
    String host = slash < 0 ? url : url.substring(0, slash);
    String prefix = slash < 0 ? "" : url.substring(slash + 1).replaceAll("/+$", "");
    Credentials credentials =
        config.registry().username().isPresent()
            ? Credentials.basic(
                config.registry().username().get(), config.registry().password().orElse(""))
            : Credentials.dockerConfig();
    RegistryClient client =
        RegistryClient.builder(host)
            .plainHttp(config.registry().plainHttp())
            .credentials(credentials)
            .build();
    return new ExternalRegistry(client, prefix);
  }
}
