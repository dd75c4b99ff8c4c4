package dev.ferry.hub.signing;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.RoleKeys;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.TrustedKey;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The hub's signing keys: root, release and hub. Loaded from configured PEM files (private and
 * public block in one file), else generated once into {@code <data-dir>/keys/} with mode 0600.
 */
@ApplicationScoped
public class HubKeys {
  private static final Logger LOG = Logger.getLogger(HubKeys.class);

  @Inject HubConfig config;

  private KeyPair root;
  private KeyPair release;
  private KeyPair hub;
  private Envelope signedRoot;

  void start(@Observes StartupEvent event) {
    root = load("root", config.keys().root());
    release = load("release", config.keys().release());
    hub = load("hub", config.keys().hub());
    signedRoot = new Signer(root).sign(PayloadTypes.ROOT, new JsonCodec().encode(trustRoot()));
  }

  /** Signs release statements. */
  public Signer releaseSigner() {
    return new Signer(release);
  }

  /** Signs desired states. */
  public Signer hubSigner() {
    return new Signer(hub);
  }

  /** The trust root: one key per role, threshold 1, version 1. */
  public TrustRoot trustRoot() {
    TrustedKey rootKey = TrustedKey.of(root.getPublic());
    TrustedKey releaseKey = TrustedKey.of(release.getPublic());
    TrustedKey hubKey = TrustedKey.of(hub.getPublic());
    return new TrustRoot(
        1,
        null,
        Map.of(rootKey.id(), rootKey, releaseKey.id(), releaseKey, hubKey.id(), hubKey),
        Map.of(
            Role.ROOT.id(), new RoleKeys(List.of(rootKey.id()), 1),
            Role.RELEASE.id(), new RoleKeys(List.of(releaseKey.id()), 1),
            Role.HUB.id(), new RoleKeys(List.of(hubKey.id()), 1)));
  }

  /** The trust root signed by the root key, the document agents are provisioned with. */
  public Envelope signedTrustRoot() {
    return signedRoot;
  }

  private KeyPair load(String role, Optional<Path> configured) {
    Path file = configured.orElse(config.dataDir().resolve("keys").resolve(role + ".pem"));
    try {
      if (configured.isEmpty() && !Files.exists(file)) {
        Files.createDirectories(file.getParent());
        KeyPair generated = Ed25519.generate();
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Ed25519.toPem(generated), StandardCharsets.US_ASCII);
        LOG.infof("generated the %s key into %s", role, file);
        return generated;
      }
      return Ed25519.keyPairFromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + role + " key " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "ferry.hub.keys." + role + ": " + file + " is not an Ed25519 key pair: " + e.getMessage(),
          e);
    }
  }
}
