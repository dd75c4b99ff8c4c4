package dev.ferry.cli;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code ferry trust …}: the fleet's trust root, made and rotated offline on the machine that holds
 * the root keys; no hub is contacted.
 */
@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    description = "Create, rotate and show the fleet's signed trust root (offline, no hub).",
    subcommands = {TrustInit.class, TrustRotate.class, TrustShow.class})
final class TrustCommand {
  /** The clock expiry is counted from; tests replace it. */
  static Clock clock = Clock.systemUTC();

  static final JsonCodec CODEC = new JsonCodec();

  private TrustCommand() {}

  /** A root signed by every given key. */
  static Envelope sign(TrustRoot root, List<KeyPair> signers) {
    return Signer.signAll(
        PayloadTypes.ROOT, CODEC.encode(root), signers.stream().map(Signer::new).toList());
  }

  /** The root in a file, verified against its own root keys. */
  static TrustRoot read(Path file) {
    try {
      return TrustRoot.selfSigned(KeyDir.envelope(file), CODEC);
    } catch (UntrustedSignatureException | IllegalArgumentException e) {
      throw new TrustException(file + " is not a signed trust root: " + e.getMessage());
    }
  }

  /** The key pairs among {@code keys} whose ids are listed. */
  static List<KeyPair> only(Map<String, KeyPair> keys, List<String> ids) {
    return ids.stream().filter(keys::containsKey).map(keys::get).toList();
  }
}
