package dev.ferry.agent.trust;

import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The device's trust root: the provisioned file (trusted as given, but its self-signature must
 * verify), then every rotation accepted since, kept as {@code <data-dir>/trust/root-<N>.json} and
 * re-verified as a chain at start-up so the newest root wins after a restart.
 */
public final class TrustStore {
  /** The configuration property naming the provisioned trust root. */
  public static final String PROPERTY = "ferry.agent.trust-root";

  private final Path chain;
  private final JsonCodec codec;
  private volatile TrustRoot root;

  private TrustStore(Path chain, JsonCodec codec, TrustRoot root) {
    this.chain = chain;
    this.codec = codec;
    this.root = root;
  }

  /**
   * Loads the provisioned root and the rotations persisted under the data directory.
   *
   * @param trustRoot the value of {@value #PROPERTY}
   * @param dataDir the agent's data directory
   * @param codec the codec
   * @return the store
   * @throws InvalidTrustRootException naming the property and the file
   */
  public static TrustStore load(Optional<Path> trustRoot, Path dataDir, JsonCodec codec) {
    Path file = trustRoot.orElseThrow(TrustStore::notSet);
    TrustRoot root = provisioned(file, codec);
    Path chain = dataDir.resolve("trust");
    for (Path next = rootFile(chain, root.version() + 1);
        Files.exists(next);
        next = rootFile(chain, root.version() + 1)) {
      root = rotated(root, next, codec);
    }
    return new TrustStore(chain, codec, root);
  }

  private static InvalidTrustRootException notSet() {
    return new InvalidTrustRootException(
        PROPERTY
            + " is not set; set it to the hub's trust root, saved from GET /api/v1/trust/root");
  }

  /** The root a persisted rotation leads to. */
  private static TrustRoot rotated(TrustRoot root, Path next, JsonCodec codec) {
    try {
      return root.verifyNext(codec.decode(read(next, next.toString()), Envelope.class), codec);
    } catch (IllegalArgumentException | UntrustedSignatureException e) {
      throw new InvalidTrustRootException(
          next + " does not follow trust root version " + root.version() + ": " + e.getMessage());
    }
  }

  /** The newest trusted root. */
  public TrustRoot root() {
    return root;
  }

  /**
   * Accepts the next root (version N+1, signed by the root thresholds of N and N+1) and persists it
   * before it takes effect.
   *
   * @param next the envelope of the next root
   * @return the new root
   * @throws UntrustedSignatureException if the rotation rules are not met
   * @throws UncheckedIOException if it cannot be persisted; the old root stays in effect
   */
  public synchronized TrustRoot rotate(Envelope next) {
    TrustRoot accepted = root.verifyNext(next, codec);
    try {
      Files.createDirectories(chain);
      AtomicFiles.write(rootFile(chain, accepted.version()), codec.encode(next));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist trust root " + accepted.version(), e);
    }
    root = accepted;
    return accepted;
  }

  private static TrustRoot provisioned(Path file, JsonCodec codec) {
    String prefix = PROPERTY + ": " + file;
    byte[] bytes = read(file, prefix);
    try {
      return TrustRoot.selfSigned(codec.decode(bytes, Envelope.class), codec);
    } catch (IllegalArgumentException | UntrustedSignatureException e) {
      throw new InvalidTrustRootException(
          prefix + " is not a signed trust root: " + e.getMessage());
    }
  }

  private static byte[] read(Path file, String prefix) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidTrustRootException(
          prefix + " does not exist; save the hub's GET /api/v1/trust/root there");
    } catch (IOException e) {
      throw new InvalidTrustRootException(prefix + " cannot be read: " + e);
    }
  }

  private static Path rootFile(Path chain, int version) {
    return chain.resolve("root-" + version + ".json");
  }
}
