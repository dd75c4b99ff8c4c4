package dev.ferry.protocol.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.FerryAuthenticator;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * A client of one OCI registry (distribution-spec v1.1), shared by hub and agent.
 *
 * <p>Manifests travel as raw bytes and are checked against their digest; blobs are fetched into a
 * file with {@code Range} resume, a hard cap at the declared size, a streaming sha256 and an idle
 * timeout, and land under their final name only once complete and verified. Plain HTTP is used only
 * when the caller says so for this registry. Thread-safe; close it to stop its timer.
 */
public final class RegistryClient implements AutoCloseable {
  /** The user agent sent with every request. */
  public static final String USER_AGENT = "ferry/0.1";

  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern REFERENCE =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|sha256:[0-9a-f]{64}");
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_REDIRECTS = 5;
  private static final ObjectMapper ERRORS = new ObjectMapper();

  private final String registry;
  private final boolean plainHttp;
  private final Credentials credentials;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final int maxManifestBytes;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final Map<String, Optional<Credential>> credentialCache = new ConcurrentHashMap<>();
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  private RegistryClient(Builder builder) {
    this.registry = builder.registry;
    this.plainHttp = builder.plainHttp;
    this.credentials = builder.credentials;
    this.requestTimeout = builder.requestTimeout;
    this.idleTimeout = builder.idleTimeout;
    this.maxManifestBytes = builder.maxManifestBytes;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(builder.requestTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "ferry-registry-timer");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts building a client.
   *
   * @param registry the registry, {@code host[:port]}
   * @return a builder
   */
  public static Builder builder(String registry) {
    return new Builder(registry);
  }

  /** The registry this client talks to, {@code host[:port]}. */
  public String registry() {
    return registry;
  }

  /**
   * Fetches a manifest as raw bytes and checks its digest: against the reference when it is a
   * digest, else against the registry's {@code Docker-Content-Digest}.
   *
   * @param repository the repository
   * @param reference a tag or a digest
   * @return the manifest
   * @throws NotFoundException if there is no such manifest
   * @throws DigestMismatchException if the bytes do not hash to the expected digest
   * @throws IOException if the request fails
   */
  public RawManifest getManifest(String repository, String reference) throws IOException {
    checkReference(reference);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Response response =
        exchange(
            repository,
            false,
            "GET",
            manifestUri(repository, reference),
            HttpRequest.BodyPublishers.noBody(),
            Map.of("Accept", MediaTypes.ACCEPT_MANIFESTS),
            sink(
                bytes,
                maxManifestBytes,
                "manifest " + reference + " is larger than " + maxManifestBytes + " bytes"));
    response.requireSuccess("GET manifest " + repository + ":" + reference, 200);
    byte[] body = bytes.toByteArray();
    Digest actual = Digest.of(body);
    Digest expected =
        reference.startsWith("sha256:")
            ? Digest.parse(reference)
            : response
                .headers
                .firstValue("Docker-Content-Digest")
                .filter(d -> d.startsWith("sha256:"))
                .map(Digest::parse)
                .orElse(actual);
    if (!expected.equals(actual)) {
      throw new DigestMismatchException("manifest", expected, actual);
    }
    String mediaType = response.headers.firstValue("Content-Type").orElse(MediaTypes.OCI_MANIFEST);
    return new RawManifest(mediaType, actual, body);
  }

  /**
   * Stores a manifest exactly as given.
   *
   * @param repository the repository
   * @param reference a tag, or null to store it by digest only
   * @param mediaType the manifest's media type
   * @param bytes the manifest bytes
   * @return the manifest's digest, as the registry confirmed it
   * @throws IOException if the request fails or the registry reports another digest
   */
  public Digest putManifest(String repository, String reference, String mediaType, byte[] bytes)
      throws IOException {
    return putManifestWithHeaders(repository, reference, mediaType, bytes).digest();
  }

  private StoredManifest putManifestWithHeaders(
      String repository, String reference, String mediaType, byte[] bytes) throws IOException {
    Digest digest = Digest.of(bytes);
    String ref = reference == null ? digest.toString() : reference;
    checkReference(ref);
    Response response =
        exchange(
            repository,
            true,
            "PUT",
            manifestUri(repository, ref),
            HttpRequest.BodyPublishers.ofByteArray(bytes),
            Map.of("Content-Type", mediaType),
            discard());
    response.requireSuccess("PUT manifest " + repository + ":" + ref, 201, 200);
    Optional<String> confirmed = response.headers.firstValue("Docker-Content-Digest");
    if (confirmed.isPresent() && !confirmed.get().equals(digest.toString())) {
      throw new DigestMismatchException("stored manifest", digest, Digest.parse(confirmed.get()));
    }
    return new StoredManifest(digest, response.headers.firstValue("OCI-Subject").isPresent());
  }

  private record StoredManifest(Digest digest, boolean subjectIndexed) {}

  /**
   * The size of a blob, if the registry has it.
   *
   * @param repository the repository
   * @param digest the blob digest
   * @return its size, or empty when absent
   * @throws IOException if the request fails
   */
  public Optional<Long> blobSize(String repository, Digest digest) throws IOException {
    Response response =
        exchange(
            repository,
            false,
            "HEAD",
            blobUri(repository, digest),
            HttpRequest.BodyPublishers.noBody(),
            Map.of(),
            discard());
    if (response.status == 404) {
      return Optional.empty();
    }
    response.requireSuccess("HEAD blob " + repository + "@" + digest, 200);
    return Optional.of(response.headers.firstValueAsLong("Content-Length").orElse(-1));
  }

  /**
   * Uploads a blob from a file unless the registry has it already (through jib-core).
   *
   * @param repository the repository
   * @param digest the file's digest; the registry checks it
   * @param file the content
   * @param progress told the bytes sent so far
   * @return true if uploaded, false if the registry had it
   * @throws IOException if the upload fails
   */
  public boolean pushBlob(String repository, Digest digest, Path file, LongConsumer progress)
      throws IOException {
    return pushBlob(repository, digest, Blobs.from(file), progress);
  }

  /**
   * Uploads a small blob held in memory unless the registry has it already.
   *
   * @param repository the repository
   * @param bytes the content
   * @return the blob's digest
   * @throws IOException if the upload fails
   */
  public Digest pushBlob(String repository, byte[] bytes) throws IOException {
    Digest digest = Digest.of(bytes);
    pushBlob(repository, digest, Blobs.from(new ByteArrayInputStream(bytes)), n -> {});
    return digest;
  }

  private boolean pushBlob(String repository, Digest digest, Blob blob, LongConsumer progress)
      throws IOException {
    checkRepository(repository);
    FailoverHttpClient jibHttp = new FailoverHttpClient(plainHttp, plainHttp, event -> {});
    try {
      var client = jibClient(repository, jibHttp);
      DescriptorDigest jibDigest = DescriptorDigest.fromDigest(digest.toString());
      if (client.checkBlob(jibDigest).isPresent()) {
        return false;
      }
      long[] sent = {0};
      client.pushBlob(jibDigest, blob, null, n -> progress.accept(sent[0] += n));
      return true;
    } catch (com.google.cloud.tools.jib.api.RegistryException | java.security.DigestException e) {
      throw new RegistryException(
          "push of blob "
              + digest
              + " to "
              + registry
              + "/"
              + repository
              + " failed: "
              + e.getMessage(),
          e);
    } finally {
      jibHttp.shutDown();
    }
  }

  private com.google.cloud.tools.jib.registry.RegistryClient jibClient(
      String repository, FailoverHttpClient jibHttp)
      throws IOException, com.google.cloud.tools.jib.api.RegistryException {
    Credential credential = credential(repository).orElse(null);
    var client =
        com.google.cloud.tools.jib.registry.RegistryClient.factory(
                EventHandlers.NONE, registry, repository, jibHttp)
            .setCredential(credential)
            .setUserAgent(USER_AGENT)
            .newRegistryClient();
    if (!client.doPushBearerAuth() && credential != null && !credential.isOAuth2RefreshToken()) {
      client.configureBasicAuth();
    }
    return client;
  }

  /**
   * Fetches a blob into {@code target}. Bytes arrive in {@code target.part}; a part left by an
   * interrupted pull is resumed with {@code Range}. The transfer is cut as soon as it exceeds the
   * declared size. Only a complete blob whose sha256 matches is renamed to {@code target}; a
   * mismatch deletes the part.
   *
   * @param repository the repository
   * @param blob the descriptor: digest and size
   * @param target the final file
   * @param progress told the bytes on disk so far, resumed ones included
   * @return what was resumed and fetched
   * @throws BlobTooLargeException if the registry serves more than the declared size
   * @throws DigestMismatchException if the content does not match the digest
   * @throws StalledTransferException if no byte arrives within the idle timeout
   * @throws IOException if the request fails; the part is kept for a resume
   */
  public BlobPull pullBlob(String repository, Descriptor blob, Path target, LongConsumer progress)
      throws IOException {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    long size = blob.size();
    long have = Files.exists(part) ? Files.size(part) : 0;
    if (have > size) {
      Files.delete(part);
      have = 0;
    }
    MessageDigest sha = Digest.newSha256();
    hashInto(sha, part, have);
    long fetched = have < size ? fetch(repository, blob, part, have, sha, progress) : 0;
    long onDisk = Files.size(part);
    if (onDisk != size) {
      throw new RegistryException(
          0,
          "blob "
              + blob.digest()
              + " ended after "
              + onDisk
              + " of "
              + size
              + " bytes; the next pull resumes");
    }
    Digest actual = Digest.of(sha);
    if (!actual.equals(blob.digest())) {
      Files.delete(part);
      throw new DigestMismatchException("blob", blob.digest(), actual);
    }
    try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new BlobPull(onDisk - fetched, fetched);
  }

  private long fetch(
      String repository,
      Descriptor blob,
      Path part,
      long have,
      MessageDigest sha,
      LongConsumer progress)
      throws IOException {
    Response response;
    try {
      response = download(repository, blob, part, have, sha, progress);
    } catch (BlobTooLargeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    response.requireSuccess("GET blob " + repository + "@" + blob.digest(), 200, 206);
    String range = response.headers.firstValue("Content-Range").orElse("");
    if (response.status == 206 && !range.startsWith("bytes " + have + "-")) {
      Files.deleteIfExists(part);
      throw new RegistryException(
          206,
          "blob "
              + blob.digest()
              + ": asked for bytes from "
              + have
              + ", got Content-Range "
              + Fields.show(range));
    }
    return response.bodyBytes;
  }

  private Response download(
      String repository,
      Descriptor blob,
      Path part,
      long have,
      MessageDigest sha,
      LongConsumer progress)
      throws IOException {
    Map<String, String> headers = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
    String tooLarge =
        "blob " + blob.digest() + " is larger than its declared " + blob.size() + " bytes";
    try (FileChannel out =
        FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      return exchange(
          repository,
          false,
          "GET",
          blobUri(repository, blob.digest()),
          HttpRequest.BodyPublishers.noBody(),
          headers,
          status -> {
            // a 200 answers a Range request with the whole blob: start over from byte 0
            long from = status == 206 ? have : 0;
            startAt(out, sha, part, from);
            return new BoundedBody(
                buffer -> {
                  sha.update(buffer.duplicate());
                  out.write(buffer);
                },
                blob.size() - from,
                tooLarge,
                n -> progress.accept(from + n),
                idleTimeout,
                timer);
          });
    }
  }

  private static void startAt(FileChannel out, MessageDigest sha, Path part, long from) {
    try {
      out.truncate(from);
      out.position(from);
      if (from == 0) {
        sha.reset();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + part, e);
    }
  }

  private static void hashInto(MessageDigest sha, Path file, long length) throws IOException {
    if (length == 0) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      long left = length;
      for (int n;
          left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0;
          left -= n) {
        sha.update(buffer, 0, n);
      }
    }
  }

  /**
   * The manifests that refer to {@code subject}: from the referrers API, or where the registry
   * lacks it, from the {@code sha256-<hex>} tag.
   *
   * @param repository the repository
   * @param subject the subject manifest's digest
   * @param artifactType only referrers of this artifact type, or null for all
   * @return their descriptors; empty when there are none
   * @throws IOException if the request fails
   */
  public List<Descriptor> referrers(String repository, Digest subject, String artifactType)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String query =
        artifactType == null
            ? ""
            : "?artifactType="
                + java.net.URLEncoder.encode(artifactType, java.nio.charset.StandardCharsets.UTF_8);
    Response response =
        exchange(
            repository,
            false,
            "GET",
            URI.create(base(repository) + "/referrers/" + subject + query),
            HttpRequest.BodyPublishers.noBody(),
            Map.of("Accept", MediaTypes.OCI_INDEX),
            sink(
                bytes,
                maxManifestBytes,
                "referrers index is larger than " + maxManifestBytes + " bytes"));
    Index index;
    if (response.status == 200) {
      index = new JsonCodec(maxManifestBytes).decode(bytes.toByteArray(), Index.class);
    } else if (response.status == 404) {
      index = fallbackIndex(repository, subject);
    } else {
      response.requireSuccess("GET referrers of " + repository + "@" + subject, 200);
      return List.of();
    }
    return index.manifests().stream()
        .filter(d -> artifactType == null || artifactType.equals(d.artifactType()))
        .toList();
  }

  private Index fallbackIndex(String repository, Digest subject) throws IOException {
    try {
      RawManifest raw = getManifest(repository, subject.referrersTag());
      return new JsonCodec(maxManifestBytes).decode(raw.bytes(), Index.class);
    } catch (NotFoundException e) {
      return Index.of(List.of());
    }
  }

  /**
   * Stores a manifest that has a {@code subject} and makes it findable by {@link #referrers}: a
   * registry with the referrers API indexes it itself; for one without, the {@code sha256-<hex>}
   * tag's index is updated.
   *
   * @param repository the repository
   * @param referrer the referring manifest, with its subject set
   * @return the referrer's digest
   * @throws IOException if a request fails
   */
  public Digest pushReferrer(String repository, Manifest referrer) throws IOException {
    if (referrer.subject() == null) {
      throw new IllegalArgumentException("a referrer needs a subject");
    }
    byte[] bytes = new JsonCodec(maxManifestBytes).encode(referrer);
    StoredManifest stored =
        putManifestWithHeaders(repository, null, MediaTypes.OCI_MANIFEST, bytes);
    if (!stored.subjectIndexed()) {
      Digest subject = referrer.subject().digest();
      Index current = fallbackIndex(repository, subject);
      boolean listed =
          current.manifests().stream().anyMatch(d -> d.digest().equals(stored.digest()));
      if (!listed) {
        List<Descriptor> manifests = new ArrayList<>(current.manifests());
        manifests.add(
            new Descriptor(
                MediaTypes.OCI_MANIFEST,
                stored.digest(),
                bytes.length,
                referrer.annotations(),
                referrer.artifactType() != null
                    ? referrer.artifactType()
                    : referrer.config().mediaType()));
        putManifest(
            repository,
            subject.referrersTag(),
            MediaTypes.OCI_INDEX,
            new JsonCodec(maxManifestBytes).encode(Index.of(manifests)));
      }
    }
    return stored.digest();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  @Override
  public String toString() {
    return "RegistryClient["
        + registry
        + (plainHttp ? ", plain HTTP" : "")
        + ", "
        + credentials
        + "]";
  }

  // --- HTTP exchange with authentication and redirects

  private interface BodyFactory {
    BoundedBody forStatus(int status);
  }

  private final class Response {
    final int status;
    final HttpHeaders headers;
    final long bodyBytes;
    final byte[] errorBody;

    Response(int status, HttpHeaders headers, long bodyBytes, byte[] errorBody) {
      this.status = status;
      this.headers = headers;
      this.bodyBytes = bodyBytes;
      this.errorBody = errorBody;
    }

    void requireSuccess(String what, int... expected) throws RegistryException {
      for (int ok : expected) {
        if (status == ok) {
          return;
        }
      }
      String message = what + " at " + registry + ": " + status + " " + describeErrors(errorBody);
      throw status == 404 ? new NotFoundException(message) : new RegistryException(status, message);
    }
  }

  private Response exchange(
      String repository,
      boolean push,
      String method,
      URI uri,
      HttpRequest.BodyPublisher body,
      Map<String, String> headers,
      BodyFactory success)
      throws IOException {
    checkRepository(repository);
    String key = repository + (push ? "|push" : "|pull");
    boolean authenticated = false;
    URI target = uri;
    for (int redirects = 0; ; ) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target)
              .method(method, body)
              .timeout(requestTimeout)
              .header("User-Agent", USER_AGENT);
      headers.forEach(request::header);
      String authorization = authorizations.get(key);
      boolean sameHost = target.getAuthority().equals(registry);
      if (authorization != null && sameHost) {
        request.header("Authorization", authorization);
      }
      ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
      HttpResponse<Long> response =
          send(
              request.build(),
              info ->
                  info.statusCode() / 100 == 2
                      ? success.forStatus(info.statusCode())
                      : sink(errorBody, MAX_ERROR_BODY, null).forStatus(info.statusCode()));
      int status = response.statusCode();
      if (status == 401 && sameHost && !authenticated) {
        authenticated = true;
        authorizations.put(
            key,
            authenticate(
                repository, push, response.headers().firstValue("WWW-Authenticate").orElse("")));
        continue;
      }
      Optional<String> location = response.headers().firstValue("Location");
      if (status / 100 == 3
          && location.isPresent()
          && redirects++ < MAX_REDIRECTS
          && !method.equals("PUT")) {
        target = target.resolve(location.get());
        continue;
      }
      long bodyBytes = response.body() == null ? 0 : response.body();
      return new Response(status, response.headers(), bodyBytes, errorBody.toByteArray());
    }
  }

  private HttpResponse<Long> send(HttpRequest request, HttpResponse.BodyHandler<Long> handler)
      throws IOException {
    try {
      return http.sendAsync(request, handler).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(
          request.method() + " " + request.uri() + " interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io
          && io.getCause() instanceof RegistryException registryError) {
        throw registryError;
      }
      if (cause instanceof RegistryException registryError) {
        throw registryError;
      }
      throw new RegistryException(
          request.method() + " " + request.uri() + " failed: " + cause, cause);
    }
  }

  private String authenticate(String repository, boolean push, String challenge)
      throws IOException {
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
    FailoverHttpClient jibHttp = new FailoverHttpClient(plainHttp, plainHttp, event -> {});
    try {
      return FerryAuthenticator.bearer(
              challenge, registry, repository, credential, push, USER_AGENT, jibHttp)
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
      jibHttp.shutDown();
    }
  }

  private Optional<Credential> credential(String repository) {
    return credentialCache.computeIfAbsent(repository, repo -> credentials.resolve(registry, repo));
  }

  private BodyFactory sink(ByteArrayOutputStream out, long max, String tooLarge) {
    return status ->
        new BoundedBody(
            buffer -> Channels.newChannel(out).write(buffer),
            max,
            tooLarge,
            n -> {},
            idleTimeout,
            timer);
  }

  private BodyFactory discard() {
    return sink(new ByteArrayOutputStream(), MAX_ERROR_BODY, null);
  }

  private static String describeErrors(byte[] body) {
    try {
      JsonNode errors = ERRORS.readTree(body).path("errors");
      List<String> parts = new ArrayList<>();
      for (JsonNode error : errors) {
        parts.add(error.path("code").asText() + " " + error.path("message").asText());
      }
      return parts.isEmpty()
          ? Fields.show(new String(body, java.nio.charset.StandardCharsets.UTF_8).strip())
          : String.join("; ", parts);
    } catch (IOException | RuntimeException e) {
      return Fields.show(new String(body, java.nio.charset.StandardCharsets.UTF_8).strip());
    }
  }

  private String base(String repository) {
    return (plainHttp ? "http" : "https") + "://" + registry + "/v2/" + repository;
  }

  private URI manifestUri(String repository, String reference) {
    return URI.create(base(repository) + "/manifests/" + reference);
  }

  private URI blobUri(String repository, Digest digest) {
    return URI.create(base(repository) + "/blobs/" + digest);
  }

  private static void checkRepository(String repository) {
    Fields.matching(repository, REPOSITORY, "repository");
  }

  private static void checkReference(String reference) {
    Fields.matching(reference, REFERENCE, "reference");
  }

  /** Builds a {@link RegistryClient}. */
  public static final class Builder {
    private final String registry;
    private boolean plainHttp;
    private Credentials credentials = Credentials.anonymous();
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int maxManifestBytes = 4 * 1024 * 1024;

    private Builder(String registry) {
      this.registry =
          Fields.matching(
              registry,
              Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?"),
              "registry");
    }

    /**
     * Speaks plain HTTP to this registry, credentials included. Only for registries the operator
     * named as plain HTTP.
     *
     * @param plainHttp true for plain HTTP
     * @return this builder
     */
    public Builder plainHttp(boolean plainHttp) {
      this.plainHttp = plainHttp;
      return this;
    }

    /**
     * Where credentials come from; anonymous by default.
     *
     * @param credentials the credentials
     * @return this builder
     */
    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * How long to wait for a connection and for response headers; 30 s by default.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * How long a body may go without a byte before the transfer is abandoned; 30 s by default.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * The largest manifest or referrers index accepted; 4 MiB by default.
     *
     * @param bytes the cap
     * @return this builder
     */
    public Builder maxManifestBytes(int bytes) {
      this.maxManifestBytes = bytes;
      return this;
    }

    /** The client. */
    public RegistryClient build() {
      return new RegistryClient(this);
    }
  }
}
