package dev.ferry.hub.signing;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The signed root the operator gives the hub ({@code ferry.hub.keys.root-document}). */
final class RootDocument {
  private static final String PROPERTY = "ferry.hub.keys.root-document";

  private RootDocument() {}

  /**
   * Reads it and checks its own root keys signed it.
   *
   * @throws IllegalStateException naming the property and the file
   */
  static Envelope read(Path file) {
    JsonCodec codec = new JsonCodec();
    try {
      Envelope envelope = codec.decode(Files.readAllBytes(file), Envelope.class);
      TrustRoot.selfSigned(envelope, codec);
      return envelope;
    } catch (IOException e) {
      throw new IllegalStateException(PROPERTY + ": cannot read " + file + ": " + e, e);
    } catch (IllegalArgumentException | UntrustedSignatureException e) {
      throw new IllegalStateException(
          PROPERTY + ": " + file + " is not a signed trust root: " + e.getMessage(), e);
    }
  }
}
