package dev.ferry.cli;

import dev.ferry.protocol.signing.Signer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry release sign}: a release statement or a revocation list signed with the release key,
 * byte for byte as the hub served it, for a hub that does not hold that key.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description =
        "Sign a release statement (ferry release statement) or a revocation list with the release"
            + " key, unchanged, and write the DSSE envelope (ferry release attach takes it).")
final class ReleaseSign implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "STATEMENT",
      description = "The unsigned statement or revocation list, as the hub served it.")
  Path statement;

  @Option(names = "--key", paramLabel = "FILE", required = true, description = "Release key.")
  Path key;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The envelope.")
  Path out;

  @Override
  public Integer call() {
    ReleasePayload payload = ReleasePayload.of(read(), statement.toString());
    Signer signer = new Signer(KeyDir.readReleaseKey(key, spec.commandLine().getErr()));
    KeyDir.write(out, payload.sign(signer));
    spec.commandLine()
        .getOut()
        .printf("%s: %s signed by release key %s%n", out, payload.what(), signer.keyId());
    spec.commandLine().getOut().flush();
    return 0;
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(statement);
    } catch (IOException e) {
      throw new TrustException("cannot read " + statement + ": " + e);
    }
  }
}
