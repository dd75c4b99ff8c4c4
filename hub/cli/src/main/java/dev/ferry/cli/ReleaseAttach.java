package dev.ferry.cli;

import dev.ferry.protocol.signing.Envelope;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry release attach MODEL VERSION ENVELOPE}: hands the hub the statement signed with
 * {@code ferry release sign}; the hub verifies it and publishes the release.
 */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description =
        "Attach a statement signed with ferry release sign to a release that is"
            + " PENDING_SIGNATURE (the hub verifies it against its trust root and publishes it),"
            + " or to a published release whose statement a retired release key signed.")
final class ReleaseAttach implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Mixin ReleaseRef ref;

  @Parameters(index = "2", paramLabel = "ENVELOPE", description = "The signed statement.")
  Path envelope;

  @Override
  public Integer call() {
    Envelope signed = KeyDir.envelope(envelope);
    Answer release = options.client().put(ref.path("/signature"), signed);
    return options.print(spec, release, PublishCommand::table);
  }
}
