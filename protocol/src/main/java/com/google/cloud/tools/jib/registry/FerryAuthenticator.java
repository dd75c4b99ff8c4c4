package com.google.cloud.tools.jib.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import java.util.Optional;

/**
 * Ferry's bridge to jib-core's registry token flow. jib's {@link RegistryAuthenticator} turns a
 * {@code WWW-Authenticate: Bearer realm=…} challenge into a token, but its factory is
 * package-private, and jib's own client does not hand its token out; Ferry's manifest and ranged
 * blob requests need it, so this one class lives in jib's package. Pinned to jib-core 0.28.x.
 */
public final class FerryAuthenticator {
  private FerryAuthenticator() {}

  /**
   * Answers a bearer challenge.
   *
   * @param challenge the {@code WWW-Authenticate} header value
   * @param registry the registry, {@code host[:port]}
   * @param repository the repository the token is for
   * @param credential the credential, or null for an anonymous token
   * @param push whether to ask for pull and push, rather than pull only
   * @param userAgent the user agent to send
   * @param http jib's HTTP client
   * @return the authorization, or empty when the challenge is not a bearer challenge
   * @throws RegistryException if the token server refuses or answers nonsense
   */
  public static Optional<Authorization> bearer(
      String challenge,
      String registry,
      String repository,
      Credential credential,
      boolean push,
      String userAgent,
      FailoverHttpClient http)
      throws RegistryException {
    Optional<RegistryAuthenticator> authenticator =
        RegistryAuthenticator.fromAuthenticationMethod(
            challenge,
            new RegistryEndpointRequestProperties(registry, repository),
            userAgent,
            http);
    if (authenticator.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        push
            ? authenticator.get().authenticatePush(credential)
            : authenticator.get().authenticatePull(credential));
  }
}
