package dev.ferry.hub.signing;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.config.HubConfig;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The hub's signing keys. The quickstart: root, release and hub keys generated once into {@code
 * <data-dir>/keys/}, all online. A real fleet: the root document from {@code ferry trust init}, the
 * hub key, and the release key only where publishing on the hub is wanted.
 */
@ApplicationScoped
public class HubKeys {
  private static final Logger LOG = Logger.getLogger(HubKeys.class);
  private static final Path OFFLINE = Path.of("offline");

  @Inject HubConfig config;

  // one signer per key, kept: a signer keeps its initialised engines, which a new one would make
  // again (B6: a fan-out asks for the hub's signer once per chunk)
  private Signer release;
  private Signer hub;
  private Envelope firstRoot;

  void start(@Observes StartupEvent event) {
    KeyFiles files = new KeyFiles(config.dataDir());
    Optional<Path> document = config.keys().rootDocument();
    boolean generate = document.isEmpty();
    KeyPair releasePair = releaseKey(files, generate);
    KeyPair hubPair = files.load("hub", config.keys().hub(), generate);
    release = releasePair == null ? null : new Signer(releasePair);
    hub = new Signer(hubPair);
    firstRoot =
        document
            .map(RootDocument::read)
            .orElseGet(() -> quickstartRoot(files, releasePair, hubPair));
  }

  private KeyPair releaseKey(KeyFiles files, boolean generate) {
    Optional<Path> configured = config.keys().release();
    if (configured.filter(OFFLINE::equals).isPresent() || (!generate && configured.isEmpty())) {
      LOG.info("the release key is offline: releases are signed with ferry release sign");
      return null;
    }
    return files.load("release", configured, generate);
  }

  private Envelope quickstartRoot(KeyFiles files, KeyPair release, KeyPair hub) {
    Path where = config.keys().root().orElse(files.defaultFile("root"));
    KeyPair root = files.load("root", config.keys().root(), true);
    LOG.warnf(
        "the root key is online (%s): whoever takes this hub can sign a trust root for the whole"
            + " fleet; for a real fleet make the root offline with ferry trust init and set"
            + " ferry.hub.keys.root-document (hub/README.md, Keys and trust)",
        where);
    TrustRoot v1 =
        TrustRoot.initial(
            null,
            Map.of(
                Role.ROOT, List.of(root.getPublic()),
                Role.RELEASE, List.of(release.getPublic()),
                Role.HUB, List.of(hub.getPublic())),
            1);
    return new Signer(root).sign(PayloadTypes.ROOT, new JsonCodec().encode(v1));
  }

  /**
   * Signs release statements.
   *
   * @throws ApiException 409 when the release key is offline
   */
  public Signer releaseSigner() {
    if (release == null) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "the release key is offline (ferry.hub.keys.release): this hub cannot sign a release");
    }
    return release;
  }

  /** The release key when this hub holds it; empty when it is offline. */
  public Optional<Signer> releaseKey() {
    return Optional.ofNullable(release);
  }

  /** Signs desired states. */
  public Signer hubSigner() {
    return hub;
  }

  /** The key ids this hub can sign with, by role, to check against the current root. */
  Map<Role, Optional<String>> onlineKeyIds() {
    return Map.of(
        Role.RELEASE,
        Optional.ofNullable(release).map(Signer::keyId),
        Role.HUB,
        Optional.of(hub.keyId()));
  }

  /**
   * Root version 1: the configured document, or the quickstart's, signed by the online root key.
   */
  Envelope firstRoot() {
    return firstRoot;
  }
}
