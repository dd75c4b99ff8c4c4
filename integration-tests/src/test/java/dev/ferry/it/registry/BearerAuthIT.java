package dev.ferry.it.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.RawManifest;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.registry.RegistryException;
import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client's bearer token flow against the real CNCF Distribution registry with {@code
 * auth: token}. The token server is this test's own: it checks basic credentials, grants anonymous
 * callers pull only, and signs ES256 JWTs whose {@code x5c} header carries the certificate that the
 * registry trusts as its {@code rootcertbundle}.
 */
class BearerAuthIT {
  private static final String USER = "ferry";
  private static final String PASSWORD = "ferry-token-secret";
  private static final JsonCodec CODEC = new JsonCodec();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TokenServer tokens;
  private static String registry;

  @TempDir Path dir;
  private String repository;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = Services.start("registry-token");
    registry = env.get("FERRY_REGISTRY_TOKEN");
    tokens =
        new TokenServer(
            URI.create(env.get("FERRY_TOKEN_REALM")),
            env.get("FERRY_TOKEN_SERVICE"),
            env.get("FERRY_TOKEN_ISSUER"),
            Path.of(env.get("FERRY_TOKEN_KEY")),
            Path.of(env.get("FERRY_TOKEN_CERT")));
  }

  @AfterAll
  static void stop() {
    if (tokens != null) {
      tokens.close();
    }
  }

  @BeforeEach
  void newRepository() {
    repository = "it/bearer-" + Long.toHexString(System.nanoTime());
    tokens.requests.clear();
  }

  private static RegistryClient client(Credentials credentials) {
    return RegistryClient.builder(registry).plainHttp(true).credentials(credentials).build();
  }

  /** An artifact pushed with the right credentials: its manifest and its one layer. */
  private record Pushed(RawManifest manifest, Descriptor layer, byte[] content) {}

  private Pushed pushArtifact(RegistryClient client, String tag) throws IOException {
    byte[] content = new byte[48 * 1024];
    // unique content: the registry's blob store outlives test runs
    new Random(System.nanoTime()).nextBytes(content);
    Digest layerDigest = client.pushBlob(repository, content);
    byte[] config = "{\"schema\":\"ferry.it/bearer\"}".getBytes(StandardCharsets.UTF_8);
    Descriptor layer = Descriptor.of(MediaTypes.MODEL_WEIGHT_RAW, layerDigest, content.length);
    Manifest manifest =
        Manifest.of(
            MediaTypes.MODEL_ARTIFACT,
            Descriptor.of(
                MediaTypes.MODEL_CONFIG, client.pushBlob(repository, config), config.length),
            List.of(layer),
            null,
            Map.of());
    byte[] bytes = CODEC.encode(manifest);
    Digest digest = client.putManifest(repository, tag, MediaTypes.OCI_MANIFEST, bytes);
    return new Pushed(new RawManifest(MediaTypes.OCI_MANIFEST, digest, bytes), layer, content);
  }

  @Test
  void credentials_pushAndPullThroughTokensGrantedForTheRequestedScopes() throws IOException {
    try (RegistryClient client = client(Credentials.basic(USER, PASSWORD))) {
      Pushed pushed = pushArtifact(client, "1.0.0");
      assertEquals(Digest.of(pushed.manifest().bytes()), pushed.manifest().digest());

      RawManifest back = client.getManifest(repository, "1.0.0");
      assertArrayEquals(pushed.manifest().bytes(), back.bytes());
      assertEquals(pushed.manifest().digest(), back.digest());
      assertEquals(MediaTypes.OCI_MANIFEST, back.mediaType());

      Path target = dir.resolve("layer");
      client.pullBlob(repository, pushed.layer(), target, n -> {});
      assertArrayEquals(pushed.content(), Files.readAllBytes(target));
    }

    List<TokenRequest> seen = tokens.requests();
    assertEquals(
        Set.of(scope("pull,push"), scope("pull")),
        seen.stream().flatMap(r -> r.scopes().stream()).collect(Collectors.toSet()),
        seen.toString());
    assertTrue(seen.stream().anyMatch(r -> USER.equals(r.user())), seen.toString());
    for (TokenRequest request : seen) {
      assertEquals(200, request.status(), request.toString());
      assertEquals(USER, request.user(), "every token request carries the credentials");
      assertEquals(request.scopes(), request.granted(), "the user gets what it asked for");
    }
  }

  @Test
  void wrongPassword_failsWithTheTokenServersRefusal() throws IOException {
    byte[] blob = ("refused " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    try (RegistryClient wrong = client(Credentials.basic(USER, "not-" + PASSWORD))) {
      var pull =
          assertThrows(RegistryException.class, () -> wrong.getManifest(repository, "1.0.0"));
      assertEquals(401, pull.status(), pull.getMessage());
      assertTrue(
          pull.getMessage().startsWith("token request for " + registry + "/" + repository),
          pull.getMessage());

      // the push goes through jib-core's client; its refusal is still reported as a 401
      var push = assertThrows(RegistryException.class, () -> wrong.pushBlob(repository, blob));
      assertEquals(401, push.status(), push.getMessage());
      assertTrue(
          push.getMessage()
              .startsWith("push of blob " + Digest.of(blob) + " to " + registry + "/" + repository),
          push.getMessage());
    }

    List<TokenRequest> seen = tokens.requests();
    assertFalse(seen.isEmpty());
    for (TokenRequest request : seen) {
      assertEquals(401, request.status(), request.toString());
      assertEquals(USER, request.user(), request.toString());
      assertEquals(List.of(), request.granted());
    }
    assertTrue(
        seen.stream().anyMatch(r -> r.scopes().equals(List.of(scope("pull")))), seen.toString());
    assertTrue(
        seen.stream().anyMatch(r -> r.scopes().equals(List.of(scope("pull,push")))),
        seen.toString());
  }

  @Test
  void anonymous_pullsWhatExistsButCannotPush() throws IOException {
    Pushed pushed;
    try (RegistryClient owner = client(Credentials.basic(USER, PASSWORD))) {
      pushed = pushArtifact(owner, "2.0.0");
    }
    tokens.requests.clear();

    byte[] blob = ("anonymous " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    try (RegistryClient anonymous = client(Credentials.anonymous())) {
      assertArrayEquals(
          pushed.manifest().bytes(), anonymous.getManifest(repository, "2.0.0").bytes());
      Path target = dir.resolve("layer");
      anonymous.pullBlob(repository, pushed.layer(), target, n -> {});
      assertArrayEquals(pushed.content(), Files.readAllBytes(target));

      var push = assertThrows(RegistryException.class, () -> anonymous.pushBlob(repository, blob));
      assertTrue(
          push.getMessage()
              .startsWith("push of blob " + Digest.of(blob) + " to " + registry + "/" + repository),
          push.getMessage());
      var put =
          assertThrows(
              RegistryException.class,
              () ->
                  anonymous.putManifest(
                      repository, "2.0.1", MediaTypes.OCI_MANIFEST, pushed.manifest().bytes()));
      assertEquals(401, put.status(), put.getMessage());
      assertTrue(put.getMessage().contains("UNAUTHORIZED"), put.getMessage());
    }
    try (RegistryClient owner = client(Credentials.basic(USER, PASSWORD))) {
      assertEquals(Optional.empty(), owner.blobSize(repository, Digest.of(blob)));
    }

    List<TokenRequest> seen = tokens.requests();
    List<TokenRequest> anonymousRequests = seen.stream().filter(r -> r.user() == null).toList();
    assertTrue(
        anonymousRequests.stream().anyMatch(r -> r.scopes().equals(List.of(scope("pull,push")))),
        seen.toString());
    for (TokenRequest request : anonymousRequests) {
      assertEquals(200, request.status(), request.toString());
      assertEquals(
          request.scopes().stream().map(s -> scope("pull")).toList(),
          request.granted(),
          "anonymous callers get pull only");
    }
  }

  @Test
  void registry_acceptsOnlyTokensWithAValidSignature() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI tokenUri =
        URI.create(tokens.realm + "?service=" + tokens.service + "&scope=" + scope("pull"));
    HttpResponse<byte[]> answer =
        http.send(
            HttpRequest.newBuilder(tokenUri).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, answer.statusCode());
    String token = JSON.readTree(answer.body()).path("token").asText();
    URI tags = URI.create("http://" + registry + "/v2/" + repository + "/tags/list");
    // the repository does not exist: a valid token gets the registry's 404
    assertEquals(404, status(http, tags, token));
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    signature[signature.length / 2] ^= 1;
    String forged =
        token.substring(0, dot + 1)
            + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    assertEquals(401, status(http, tags, forged));
  }

  private static int status(HttpClient http, URI uri, String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private String scope(String actions) {
    return "repository:" + repository + ":" + actions;
  }

  /**
   * One request to the token server.
   *
   * @param scopes the requested scopes, as sent
   * @param user the basic auth user, null for an anonymous request
   * @param status the status answered
   * @param granted the granted scopes, in the form of the requested ones
   */
  private record TokenRequest(List<String> scopes, String user, int status, List<String> granted) {}

  /**
   * A Docker registry token server on the realm's address: basic auth for {@link #USER}, anonymous
   * pull, ES256 JWTs with the signing certificate in {@code x5c}.
   */
  private static final class TokenServer implements AutoCloseable {
    final URI realm;
    final String service;
    final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private final String issuer;
    private final PrivateKey key;
    private final String x5c;
    private final HttpServer server;

    TokenServer(URI realm, String service, String issuer, Path keyPem, Path certPem)
        throws IOException, GeneralSecurityException {
      this.realm = realm;
      this.service = service;
      this.issuer = issuer;
      this.key =
          KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(pemBody(keyPem, "PRIVATE KEY")));
      try (var in = Files.newInputStream(certPem)) {
        X509Certificate cert =
            (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        this.x5c = Base64.getEncoder().encodeToString(cert.getEncoded());
      }
      server = HttpServer.create(new InetSocketAddress(realm.getHost(), realm.getPort()), 0);
      server.createContext(realm.getPath(), this::handle);
      server.start();
    }

    List<TokenRequest> requests() {
      return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        List<String> scopes = new ArrayList<>();
        String askedService = null;
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
          int eq = pair.indexOf('=');
          String name =
              URLDecoder.decode(pair.substring(0, Math.max(eq, 0)), StandardCharsets.UTF_8);
          String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (name.equals("scope")) {
            scopes.add(value);
          } else if (name.equals("service")) {
            askedService = value;
          }
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String user = null;
        boolean valid = true;
        if (authorization != null) {
          String expected =
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
          user = basicUser(authorization);
          valid = authorization.equals(expected);
        }
        if (!service.equals(askedService)) {
          requests.add(new TokenRequest(scopes, user, 400, List.of()));
          error(exchange, 400, "unknown service " + askedService);
          return;
        }
        if (!valid) {
          requests.add(new TokenRequest(scopes, user, 401, List.of()));
          exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"ferry-token\"");
          error(exchange, 401, "wrong credentials");
          return;
        }
        Set<String> allowed = user == null ? Set.of("pull") : Set.of("pull", "push");
        List<String> granted = new ArrayList<>();
        List<Map<String, Object>> access = new ArrayList<>();
        for (String scope : scopes) {
          String[] parts = scope.split(":");
          if (parts.length != 3 || !parts[0].equals("repository")) {
            continue;
          }
          Set<String> actions = new LinkedHashSet<>(List.of(parts[2].split(",")));
          actions.retainAll(allowed);
          if (!actions.isEmpty()) {
            granted.add("repository:" + parts[1] + ":" + String.join(",", actions));
            access.add(Map.of("type", "repository", "name", parts[1], "actions", actions));
          }
        }
        String token = jwt(user == null ? "" : user, access);
        requests.add(new TokenRequest(scopes, user, 200, granted));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("access_token", token);
        body.put("expires_in", 300);
        body.put("issued_at", Instant.now().toString());
        send(exchange, 200, JSON.writeValueAsBytes(body));
      } catch (GeneralSecurityException | RuntimeException e) {
        requests.add(new TokenRequest(List.of(), null, 500, List.of()));
        error(exchange, 500, e.toString());
      }
    }

    private String jwt(String subject, List<Map<String, Object>> access)
        throws IOException, GeneralSecurityException {
      long now = Instant.now().getEpochSecond();
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("typ", "JWT");
      header.put("alg", "ES256");
      header.put("x5c", List.of(x5c));
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("iss", issuer);
      claims.put("sub", subject);
      claims.put("aud", service);
      claims.put("exp", now + 300);
      claims.put("nbf", now);
      claims.put("iat", now);
      claims.put("jti", UUID.randomUUID().toString());
      claims.put("access", access);
      String signed =
          base64Url(JSON.writeValueAsBytes(header))
              + "."
              + base64Url(JSON.writeValueAsBytes(claims));
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(key);
      signer.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + base64Url(signer.sign());
    }

    private static String basicUser(String authorization) {
      if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        return "?";
      }
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? pair : pair.substring(0, colon);
      } catch (IllegalArgumentException e) {
        return "?";
      }
    }

    private static void error(HttpExchange exchange, int status, String message)
        throws IOException {
      JsonNode body =
          JSON.createObjectNode()
              .set(
                  "errors",
                  JSON.createArrayNode()
                      .add(
                          JSON.createObjectNode()
                              .put("code", status == 401 ? "UNAUTHORIZED" : "DENIED")
                              .put("message", message)));
      send(exchange, status, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }

    private static String base64Url(byte[] bytes) {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] pemBody(Path pem, String label) throws IOException {
      String text = Files.readString(pem, StandardCharsets.US_ASCII);
      String begin = "-----BEGIN " + label + "-----";
      String end = "-----END " + label + "-----";
      int from = text.indexOf(begin);
      int to = text.indexOf(end);
      if (from < 0 || to < from) {
        throw new IOException(pem + " holds no " + label + " PEM block");
      }
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
