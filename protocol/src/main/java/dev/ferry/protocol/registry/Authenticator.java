package dev.ferry.protocol.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.FerryAuthenticator;
import dev.ferry.protocol.json.Fields;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a registry's authentication challenges with jib-core: basic credentials, or a bearer
 * token from the registry's token service, cached per repository and scope.
 */
final class Authenticator {
  private final String registry;
  private final boolean plainHttp;
  private final Credentials credentials;
  private final Map<String, Optional<Credential>> credentialCache = new ConcurrentHashMap<>();
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  Authenticator(String registry, boolean plainHttp, Credentials credentials) {
    this.registry = registry;
    this.plainHttp = plainHttp;
    this.credentials = credentials;
  }

  /**
   * The {@code Authorization} header value for a repository and scope, or null before a challenge.
   */
  String header(String repository, boolean push) {
    return authorizations.get(key(repository, push));
  }

  /** Answers a {@code WWW-Authenticate} challenge; the answer is used from then on. */
  void answer(String repository, boolean push, String challenge) throws IOException {
    authorizations.put(key(repository, push), authorize(repository, push, challenge));
  }

  private String authorize(String repository, boolean push, String challenge) throws IOException {
    Credential credential = credential(repository).orElse(null);
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      if (credential == null) {
        throw new RegistryException(
            401,
            registry
                + " requires credentials for "
                + repository
                + " (basic auth); none are configured");
      }
      return Authorization.fromBasicCredentials(credential.getUsername(), credential.getPassword())
          .toString();
    }
    FailoverHttpClient http = newJibHttp();
    try {
      return FerryAuthenticator.bearer(
              challenge, registry, repository, credential, push, RegistryClient.USER_AGENT, http)
          .map(Authorization::toString)
          .orElseThrow(
              () ->
                  new RegistryException(
                      401,
                      registry + " asks for unsupported authentication " + Fields.show(challenge)));
    } catch (com.google.cloud.tools.jib.api.RegistryException e) {
      throw new RegistryException(
          401, "token request for " + registry + "/" + repository + " failed: " + e.getMessage());
    } finally {
      http.shutDown();
    }
  }

  /** jib's client for one repository, authenticated for push. */
  com.google.cloud.tools.jib.registry.RegistryClient jibClient(
      String repository, FailoverHttpClient http)
      throws IOException, com.google.cloud.tools.jib.api.RegistryException {
    Credential credential = credential(repository).orElse(null);
    var client =
        com.google.cloud.tools.jib.registry.RegistryClient.factory(
                EventHandlers.NONE, registry, repository, http)
            .setCredential(credential)
            .setUserAgent(RegistryClient.USER_AGENT)
            .newRegistryClient();
    if (!client.doPushBearerAuth() && credential != null && !credential.isOAuth2RefreshToken()) {
      client.configureBasicAuth();
    }
    return client;
  }

  /** A jib HTTP client; plain HTTP (credentials included) only for a registry named so. */
  FailoverHttpClient newJibHttp() {
    return new FailoverHttpClient(plainHttp, plainHttp, event -> {});
  }

  private Optional<Credential> credential(String repository) {
    return credentialCache.computeIfAbsent(repository, repo -> credentials.resolve(registry, repo));
  }

  private static String key(String repository, boolean push) {
    return repository + (push ? "|push" : "|pull");
  }
}
