package dev.ferry.hub.registry;

import dev.ferry.hub.access.Tokens;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.identity.BasicCredentials;
import dev.ferry.hub.identity.DeviceAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may pull from the embedded registry ({@code ferry.hub.registry-auth}, on by default): an
 * ACCEPTED device with HTTP Basic {@code <deviceId>:<mqttPassword>}, or any API token as Bearer.
 * Others get 401 with a Basic challenge, which registry clients (jib-core) answer with their
 * credential.
 */
public class RegistryAccess {
  static final String CHALLENGE = "Basic realm=\"ferry\"";
  private static final String BEARER = "Bearer ";
  private static final java.util.regex.Pattern CAPTURES =
      java.util.regex.Pattern.compile("/?v2/models/[^/]+/captures/");

  @Inject HubConfig config;
  @Inject DeviceAccess devices;
  @Inject Tokens tokens;

  @ServerRequestFilter
  Optional<Response> requireIdentity(ContainerRequestContext request) {
    if (!config.registryAuth() || !registryPath(request.getUriInfo().getPath())) {
      return Optional.empty();
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (valid(header, request.getUriInfo().getPath())) {
      return Optional.empty();
    }
    return Optional.of(RegistryResource.response(refusal(header != null)));
  }

  private static boolean registryPath(String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    return relative.equals("v2") || relative.startsWith("v2/");
  }

  /**
   * Devices pull models; captured data ({@code …/captures} repositories) is for API tokens only.
   */
  private boolean valid(String header, String path) {
    if (header == null) {
      return false;
    }
    if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return tokens.authenticate(header.substring(BEARER.length()).strip()).isPresent();
    }
    try {
      return BasicCredentials.parse(header)
          .map(
              basic ->
                  !CAPTURES.matcher(path).lookingAt()
                      && devices.authenticate(basic.user(), basic.password()))
          .orElse(false);
    } catch (ApiException malformed) {
      return false;
    }
  }

  private static DistributionException refusal(boolean presented) {
    return new DistributionException(
        ErrorCode.UNAUTHORIZED,
        presented
            ? "the credential was refused: use an enrolled device's id and MQTT password, or an"
                + " API token"
            : "authentication required: an enrolled device's id and MQTT password (Basic), or an"
                + " API token (Bearer)",
        Map.of(),
        Map.of(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE));
  }
}
