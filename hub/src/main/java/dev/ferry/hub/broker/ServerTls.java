package dev.ferry.hub.broker;

import dev.ferry.hub.identity.TlsMaterial;
import io.moquette.broker.ISslContextCreator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The embedded broker's TLS: a server certificate from the device CA for the configured names,
 * client certificates required, trusted only if the device CA issued them and they are not revoked.
 */
final class ServerTls implements ISslContextCreator {
  private final TlsMaterial material;
  private final List<String> names;

  ServerTls(TlsMaterial material, List<String> names) {
    this.material = material;
    this.names = List.copyOf(names);
  }

  /**
   * The names of the server certificate: those configured, else {@code localhost}, {@code
   * 127.0.0.1} and the host of the public URL.
   *
   * @param configured {@code ferry.hub.mqtt.tls-names}
   * @param publicUrl {@code ferry.hub.public-url}
   * @return the names, without repeats
   */
  static List<String> names(Optional<List<String>> configured, Optional<String> publicUrl) {
    if (configured.isPresent()) {
      return List.copyOf(new LinkedHashSet<>(configured.get()));
    }
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    publicUrl.map(ServerTls::host).ifPresent(names::add);
    return List.copyOf(names);
  }

  private static String host(String url) {
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public SslContext initSSLContext() {
    TlsMaterial.KeyAndChain identity = material.serverIdentity(names);
    try {
      return SslContextBuilder.forServer(identity.key(), identity.chain())
          .sslProvider(SslProvider.JDK)
          .trustManager(
              new RevocationCheck(
                  TlsContexts.trustManager(List.of(material.caCertificate())), material::revoked))
          .clientAuth(ClientAuth.REQUIRE)
          .build();
    } catch (SSLException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot set up the embedded broker's TLS: " + e.getMessage(), e);
    }
  }
}
