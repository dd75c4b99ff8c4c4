package dev.ferry.protocol.registry;

import com.google.cloud.tools.jib.blob.Blobs;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import dev.ferry.protocol.oci.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

  private static final Pattern REGISTRY =
      Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?");

  private final Transport transport;
  private final boolean plainHttp;
  private final Credentials credentials;
  private final Manifests manifests;
  private final BlobPush blobPush;
  private final ReferrerIndex referrerIndex;

  private RegistryClient(Builder builder) {
    this.transport =
        new Transport(
            builder.registry,
            builder.plainHttp,
            builder.credentials,
            builder.requestTimeout,
            builder.limits);
    this.plainHttp = builder.plainHttp;
    this.credentials = builder.credentials;
    this.manifests = new Manifests(transport);
    this.blobPush = new BlobPush(transport);
    this.referrerIndex = new ReferrerIndex(transport, manifests);
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
    return transport.registry;
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
    return manifests.get(repository, reference);
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
    return manifests.store(repository, reference, mediaType, bytes).digest();
  }

  /**
   * Deletes a manifest by digest, with its tags (OCI distribution spec, content management).
   *
   * @param repository the repository
   * @param digest the manifest's digest
   * @throws IOException if the request fails or the registry refuses (405 where deletion is off)
   */
  public void deleteManifest(String repository, Digest digest) throws IOException {
    transport
        .exchange(
            RegistryRequest.delete(repository, transport.uri(repository, "/manifests/" + digest)),
            transport.discard())
        .requireSuccess("DELETE manifest " + repository + "@" + digest, 202, 200);
  }

  /**
   * The size of a blob, if the registry has it.
   *
   * @param repository the repository
   * @param digest the blob digest
   * @return its size, or empty when absent
   * @throws IOException if the request fails
   */
  public Optional<Long> blobSize(String repository, Digest digest) throws IOException {
    Transport.Response response =
        transport.exchange(
            RegistryRequest.head(repository, transport.uri(repository, "/blobs/" + digest)),
            transport.discard());
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
    return blobPush.push(repository, digest, Blobs.from(file), progress);
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
    blobPush.push(repository, digest, Blobs.from(new ByteArrayInputStream(bytes)), n -> {});
    return digest;
  }

  /**
   * Where {@link #pullBlob} gathers the bytes of a blob bound for {@code target}.
   *
   * @param target the final file
   * @return {@code <target>.part}
   */
  public static Path partOf(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  /**
   * Fetches a blob into {@code target}. Bytes arrive in {@code target.part}; a part left by an
   * interrupted pull is resumed with {@code Range}. The transfer is cut as soon as it exceeds the
   * declared size. Only a complete blob whose sha256 matches is renamed to {@code target}; a
   * mismatch deletes the part. The target is not synced to the storage device: a caller that needs
   * it to survive a crash syncs it.
   *
   * @param repository the repository
   * @param blob the descriptor: digest and size
   * @param target the final file
   * @param progress told the bytes on disk so far, resumed ones included
   * @return what was resumed and fetched
   * @throws BlobTooLargeException if the registry serves more than the declared size
   * @throws DigestMismatchException if the content does not match the digest
   * @throws StalledTransferException if the transfer breaks its {@link TransferLimits}: idle, below
   *     the throughput floor or past the deadline
   * @throws IOException if the request fails; the part is kept for a resume
   */
  public BlobPull pullBlob(String repository, Descriptor blob, Path target, LongConsumer progress)
      throws IOException {
    return new BlobDownload(transport, repository, blob, target, progress).run();
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
    return referrerIndex.list(repository, subject, artifactType);
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
    return referrerIndex.push(repository, referrer);
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "RegistryClient["
        + registry()
        + (plainHttp ? ", plain HTTP" : "")
        + ", "
        + credentials
        + "]";
  }

  /** Builds a {@link RegistryClient}. */
  public static final class Builder {
    private final String registry;
    private boolean plainHttp;
    private Credentials credentials = Credentials.anonymous();
    private Duration requestTimeout = Duration.ofSeconds(30);
    private TransferLimits limits = TransferLimits.DEFAULT;

    private Builder(String registry) {
      this.registry = Fields.matching(registry, REGISTRY, "registry");
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
      this.limits = limits.withIdle(timeout);
      return this;
    }

    /**
     * How slow a body may be: idle timeout, throughput floor and deadline ({@link
     * TransferLimits#DEFAULT} by default: 30 s idle, no floor, no deadline).
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder transferLimits(TransferLimits limits) {
      this.limits = limits;
      return this;
    }

    /** The client. */
    public RegistryClient build() {
      return new RegistryClient(this);
    }
  }
}
