package dev.ferry.agent.fetch;

import com.google.cloud.tools.jib.api.Credential;
import dev.ferry.protocol.registry.Credentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which credentials the agent presents to a registry: its device credential to the hub's embedded
 * registry (the host:port of {@code ferry.agent.hub-url}), the configured user and password or
 * identity token to any other, else Docker's config.
 *
 * @param hub the hub's {@code host:port}, when {@code ferry.agent.hub-url} is set
 * @param device the device credential (Basic), once enrolled
 * @param configured {@code ferry.agent.registry.*} credentials, if any
 * @param fallback Docker's config
 */
public record RegistryLogins(
    Optional<String> hub,
    Supplier<Optional<Credentials>> device,
    Optional<Credentials> configured,
    Credentials fallback) {

  /**
   * The credentials for one registry.
   *
   * @param registry {@code host[:port]}, as in a repository reference
   * @param plainHttp whether it is reached over plain HTTP (its default port is then 80, else 443)
   * @return the credentials to present
   */
  public Credentials forRegistry(String registry, boolean plainHttp) {
    if (hub.isPresent() && hub.get().equals(authority(registry, plainHttp ? 80 : 443))) {
      Optional<Credentials> credential = device.get();
      if (credential.isPresent()) {
        return credential.get();
      }
    }
    return configured.orElse(fallback);
  }

  /**
   * The {@code host:port} of the hub's URL, its scheme's port when it names none.
   *
   * @param hubUrl {@code http(s)://host[:port]}
   * @return {@code host:port}
   */
  public static String authority(URI hubUrl) {
    int port = hubUrl.getPort() != -1 ? hubUrl.getPort() : defaultPort(hubUrl.getScheme());
    return hubUrl.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  private static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  private static String authority(String registry, int defaultPort) {
    String lower = registry.toLowerCase(Locale.ROOT);
    int colon = lower.lastIndexOf(':');
    boolean hasPort = colon > 0 && lower.indexOf(']', colon) < 0;
    return hasPort ? lower : lower + ":" + defaultPort;
  }

  /**
   * The credentials of {@code ferry.agent.registry.*}: a user name with a password file, or a token
   * file holding an identity (refresh) token that the registry's token service exchanges for access
   * tokens (Docker's {@code identitytoken}; jib-core's {@code <token>} user).
   *
   * @param username {@code ferry.agent.registry.username}
   * @param passwordFile {@code ferry.agent.registry.password-file}
   * @param tokenFile {@code ferry.agent.registry.token-file}
   * @return the credentials, if configured
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException naming the property when the settings do not fit together
   */
  public static Optional<Credentials> configured(
      Optional<String> username, Optional<Path> passwordFile, Optional<Path> tokenFile)
      throws IOException {
    if (tokenFile.isPresent() && (username.isPresent() || passwordFile.isPresent())) {
      throw new IllegalStateException(
          "ferry.agent.registry.token-file: set either it or username and password-file, not both");
    }
    if (tokenFile.isPresent()) {
      return Optional.of(
          Credentials.basic(Credential.OAUTH2_TOKEN_USER_NAME, read(tokenFile.get())));
    }
    if (username.isPresent() != passwordFile.isPresent()) {
      String missing = username.isPresent() ? "password-file" : "username";
      throw new IllegalStateException(
          "ferry.agent.registry."
              + missing
              + ": required with the other of username/password-file");
    }
    return username.isEmpty()
        ? Optional.empty()
        : Optional.of(Credentials.basic(username.get(), read(passwordFile.get())));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file).strip();
  }
}
