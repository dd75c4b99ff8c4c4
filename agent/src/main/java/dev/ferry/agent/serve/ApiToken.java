package dev.ferry.agent.serve;

import dev.ferry.agent.config.AgentConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * With {@code ferry.agent.api-token-file} set, {@code /v2/**} and {@code /q/metrics} answer only
 * requests with {@code Authorization: Bearer <token>} (compared in constant time), else 401 with an
 * OIP error body; health ({@code /q/health/…}, {@code /v2/health/…}) stays open for probes.
 */
@ApplicationScoped
public class ApiToken {
  static final String PROPERTY = "ferry.agent.api-token-file";

  /** The answer to a request without the token. */
  public static final String REFUSED = "missing or wrong bearer token (" + PROPERTY + ")";

  private final Optional<byte[]> expected;

  ApiToken(AgentConfig config) {
    this.expected = config.apiTokenFile().map(ApiToken::read);
  }

  void install(@Observes Router router) {
    if (expected.isPresent()) {
      router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::check);
    }
  }

  private void check(RoutingContext context) {
    if (!guarded(context.normalizedPath())
        || matches(context.request().getHeader("Authorization"))) {
      context.next();
      return;
    }
    context
        .response()
        .setStatusCode(401)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("WWW-Authenticate", "Bearer realm=\"ferry-agent\"")
        .end(new JsonObject().put("error", REFUSED).encode());
  }

  /**
   * {@code /v2}, {@code /v2/…} and {@code /q/metrics}; not health ({@code /v2/health/…} either).
   */
  static boolean guarded(String normalized) {
    String path = normalized.replaceAll("/{2,}", "/");
    boolean v2 = path.equals("/v2") || path.startsWith("/v2/");
    boolean metrics = path.equals("/q/metrics") || path.startsWith("/q/metrics/");
    return (v2 && !path.startsWith("/v2/health/")) || metrics;
  }

  /**
   * Whether a request with this {@code Authorization} value may pass: any when no token is set.
   *
   * @param authorization the header's value, or null
   */
  public boolean admits(String authorization) {
    return expected.isEmpty() || matches(authorization);
  }

  private boolean matches(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(presented, expected.orElseThrow());
  }

  private static byte[] read(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException(PROPERTY + ": cannot read " + file + ": " + e.getMessage());
    }
    if (token.isEmpty()) {
      throw new IllegalStateException(PROPERTY + ": " + file + " is empty");
    }
    return sha256(token.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
