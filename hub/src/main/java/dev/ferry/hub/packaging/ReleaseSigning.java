package dev.ferry.hub.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.PendingReleases;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.catalog.ReleaseState;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.hub.signing.ReleaseRole;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Publishes a release waiting for its signature: one path whether the hub's own release key signs
 * the statement or {@code ferry release sign} did away from the hub. The signature must be over the
 * pending statement byte for byte; the release is then published, tagged, and its signature stored
 * as a referrer of the model manifest.
 */
@ApplicationScoped
public class ReleaseSigning {
  private static final Logger LOG = Logger.getLogger(ReleaseSigning.class);
  private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final JsonCodec codec = new JsonCodec();

  @Inject Database db;
  @Inject PendingReleases pending;
  @Inject ArtifactStore store;
  @Inject HubKeys keys;
  @Inject ReleaseRole releaseRole;

  /**
   * Signs a pending release with the hub's release key, in the caller's transaction.
   *
   * @param c the transaction
   * @param release the pending release
   * @return it published; unchanged when the release key is offline
   */
  public Release signOnline(Connection c, Release release) throws SQLException {
    Optional<Signer> key = keys.releaseKey();
    if (key.isEmpty()) {
      LOG.infof(
          "release %s@%s waits for its statement signed with ferry release sign",
          release.name(), release.version());
      return release;
    }
    byte[] payload = pending.find(c, release.name(), release.version()).statement().bytes();
    return attach(
        c, release.name(), release.version(), key.get().sign(PayloadTypes.IN_TOTO, payload));
  }

  /**
   * Publishes a pending release with a statement signed away from the hub.
   *
   * @param model the model
   * @param version the version
   * @param signed the statement signed by a threshold of the current root's release keys
   * @return the release, published
   * @throws ApiException 400 if it does not verify, 404 without such a release, 409 if it is not
   *     pending or the payload is not the pending statement
   */
  public Release submit(String model, String version, Envelope signed) {
    releaseRole.verify(signed, PayloadTypes.IN_TOTO);
    Release published = db.transaction(c -> attach(c, model, version, signed));
    LOG.infof("release %s@%s published with a statement signed offline", model, version);
    return published;
  }

  private Release attach(Connection c, String model, String version, Envelope signed)
      throws SQLException {
    PendingReleases.Unsigned unsigned = pending.find(c, model, version);
    unsigned.statement().requireSame(signed.payloadBytes());
    Release published = pending.sign(c, unsigned.release(), signed);
    try {
      attachSignature(published, unsigned.manifest());
      store.putManifest(
          store.repositoryOf(model),
          Publisher.tagOf(version),
          mediaTypeOf(unsigned.manifest()),
          unsigned.manifest());
    } catch (IOException e) {
      throw new ApiException(
          ErrorCode.UNAVAILABLE,
          "storing release " + model + " " + version + " failed: " + e.getMessage());
    }
    return published;
  }

  private void attachSignature(Release release, byte[] manifest) throws IOException {
    String repository = store.repositoryOf(release.name());
    byte[] envelope = codec.encode(release.statement());
    Digest config = store.putBlob(repository, EMPTY_CONFIG);
    Digest layer = store.putBlob(repository, envelope);
    Manifest signature =
        Manifest.of(
            MediaTypes.DSSE_ENVELOPE,
            Descriptor.of(MediaTypes.OCI_EMPTY, config, EMPTY_CONFIG.length),
            List.of(Descriptor.of(MediaTypes.DSSE_ENVELOPE, layer, envelope.length)),
            Descriptor.of(mediaTypeOf(manifest), release.manifestDigest(), manifest.length),
            Map.of());
    store.putReferrer(repository, signature);
  }

  /** An OCI image index for a release with variants, else an image manifest. */
  static String mediaTypeOf(byte[] manifest) {
    try {
      String declared = MAPPER.readTree(manifest).path("mediaType").asText();
      return MediaTypes.OCI_INDEX.equals(declared) ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    } catch (IOException e) {
      throw new UncheckedIOException("the pending manifest is not JSON", e);
    }
  }

  /** Whether a release is published. */
  static boolean published(Release release) {
    return release.state() == ReleaseState.PUBLISHED;
  }
}
