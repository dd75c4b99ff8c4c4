package dev.ferry.cli;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
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
 * {@code ferry release sign}: a release statement signed with the release key, for a hub that does
 * not hold that key.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description =
        "Sign a release statement (in-toto JSON, ferry release predicate) with the release key and"
            + " write the DSSE envelope.")
final class ReleaseSign implements Callable<Integer> {
  private static final JsonCodec CODEC = new JsonCodec();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STATEMENT", description = "The unsigned statement.")
  Path statement;

  @Option(names = "--key", paramLabel = "FILE", required = true, description = "Release key.")
  Path key;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The envelope.")
  Path out;

  @Override
  public Integer call() {
    ReleaseStatement checked = read();
    Signer signer = new Signer(KeyDir.read(key));
    Envelope signed = signer.sign(PayloadTypes.IN_TOTO, CODEC.encode(checked));
    KeyDir.write(out, signed);
    spec.commandLine()
        .getOut()
        .printf(
            "%s: %s@%s signed by release key %s%n",
            out, checked.predicate().model(), checked.predicate().version(), signer.keyId());
    spec.commandLine().getOut().flush();
    return 0;
  }

  private ReleaseStatement read() {
    try {
      return CODEC.decode(Files.readAllBytes(statement), ReleaseStatement.class);
    } catch (IOException e) {
      throw new TrustException("cannot read " + statement + ": " + e);
    } catch (IllegalArgumentException e) {
      throw new TrustException(statement + " is not a release statement: " + e.getMessage());
    }
  }
}
