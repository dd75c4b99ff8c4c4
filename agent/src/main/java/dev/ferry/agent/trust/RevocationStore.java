package dev.ferry.agent.trust;

import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The newest revocation list this device verified: signed by the release role of the current trust
 * root, its version above the one held (an older list replayed changes nothing), persisted
 * atomically as {@code <data-dir>/trust/revocations.json} before it takes effect.
 */
public final class RevocationStore {
  private static final Logger LOG = Logger.getLogger(RevocationStore.class);

  private final Supplier<TrustRoot> trust;
  private final Path file;
  private final JsonCodec codec;
  private volatile Revocations current;

  private RevocationStore(Supplier<TrustRoot> trust, Path file, JsonCodec codec) {
    this.trust = trust;
    this.file = file;
    this.codec = codec;
  }

  /**
   * Loads the persisted list; one that no longer verifies (a rotated-out release key) is set aside
   * with a warning until the hub's list arrives.
   *
   * @param trust the current trust root, asked on each verification
   * @param dataDir the agent's data directory
   * @param codec the codec
   * @return the store
   */
  public static RevocationStore load(Supplier<TrustRoot> trust, Path dataDir, JsonCodec codec) {
    RevocationStore store =
        new RevocationStore(trust, dataDir.resolve("trust").resolve("revocations.json"), codec);
    if (Files.exists(store.file)) {
      try {
        store.current = store.verify(Files.readAllBytes(store.file));
      } catch (IOException | UntrustedRevocationsException e) {
        LOG.warnf("ignoring %s until the hub sends a list: %s", store.file, e.getMessage());
      }
    }
    return store;
  }

  /** The list held; empty before the first. */
  public Optional<Revocations> current() {
    return Optional.ofNullable(current);
  }

  /**
   * Takes a list received from the hub if it is newer than the one held.
   *
   * @param payload the DSSE envelope bytes
   * @return the list, if it is newer; empty for the same or an older one
   * @throws UntrustedRevocationsException naming what is wrong; the held list stays
   * @throws UncheckedIOException if it cannot be persisted; the held list stays
   */
  public synchronized Optional<Revocations> accept(byte[] payload) {
    Revocations list = verify(payload);
    long held = current == null ? 0 : current.version();
    if (list.version() <= held) {
      LOG.debugf("revocation list version %d is not above the held %d", list.version(), held);
      return Optional.empty();
    }
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, payload);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist revocation list " + list.version(), e);
    }
    current = list;
    return Optional.of(list);
  }

  private Revocations verify(byte[] payload) {
    try {
      Envelope envelope = codec.decode(payload, Envelope.class);
      if (!PayloadTypes.REVOCATIONS.equals(envelope.payloadType())) {
        throw new UntrustedRevocationsException(
            "revocation list payloadType must be "
                + Fields.show(PayloadTypes.REVOCATIONS)
                + ", got "
                + Fields.show(envelope.payloadType()));
      }
      byte[] verified =
          trust.get().verifier(Role.RELEASE).verify(envelope, PayloadTypes.REVOCATIONS);
      return codec.decode(verified, Revocations.class);
    } catch (IllegalArgumentException e) {
      throw new UntrustedRevocationsException("revocation list is malformed: " + e.getMessage());
    } catch (UntrustedSignatureException e) {
      throw new UntrustedRevocationsException(
          "revocation list is not signed by the release role: " + e.getMessage());
    }
  }
}
