package dev.ferry.cli;

import dev.ferry.protocol.api.Release;
import dev.ferry.protocol.api.ReleaseRevocation;
import dev.ferry.protocol.api.RevokeRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry release revoke MODEL VERSION --reason R}: withdraw a release from the fleet. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description =
        "Withdraw a release: devices serving it fall back to their previous version and never"
            + " install it again; rollouts of it are refused.")
final class ReleaseRevoke implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model.")
  String model;

  @Parameters(index = "1", paramLabel = "VERSION", description = "The version to withdraw.")
  String version;

  @Option(names = "--reason", required = true, description = "Why, for operators and devices.")
  String reason;

  @Override
  public Integer call() {
    String path =
        "/api/v1/models/"
            + URLEncoder.encode(model, StandardCharsets.UTF_8)
            + "/versions/"
            + URLEncoder.encode(version, StandardCharsets.UTF_8)
            + "/revoke";
    Answer release = options.client().post(path, new RevokeRequest(reason));
    return options.print(spec, release, ReleaseRevoke::table);
  }

  private static Table table(Answer answer) {
    Release release = answer.as(Release.class);
    ReleaseRevocation revoked = release.revoked();
    return new Table("NAME", "VERSION", "REVOKED", "BY", "REASON")
        .row(
            release.name(),
            release.version(),
            revoked == null ? "-" : revoked.revokedAt(),
            revoked == null ? "-" : revoked.revokedBy(),
            revoked == null ? "-" : revoked.reason());
  }
}
