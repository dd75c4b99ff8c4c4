package dev.ferry.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry release statement MODEL VERSION --out FILE}: the exact statement a release waiting
 * for its signature needs, to carry to the machine with the release key.
 */
@Command(
    name = "statement",
    mixinStandardHelpOptions = true,
    description =
        "Fetch the unsigned statement of a release that is PENDING_SIGNATURE (the hub's release key"
            + " is offline); sign it with ferry release sign.")
final class ReleaseStatementCommand implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Mixin ReleaseRef ref;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The statement.")
  Path out;

  @Override
  public Integer call() {
    byte[] statement = options.client().bytes(ref.path("/statement"));
    ReleasePayload payload = ReleasePayload.of(statement, "the hub's answer");
    try {
      Files.write(out, statement);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
    spec.commandLine().getOut().printf("%s: the statement of %s to sign%n", out, payload.what());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
