package dev.ferry.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;

/** {@code ferry release …}: statements and revocation lists signed offline; releases withdrawn. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Sign release statements with the release key, away from the hub, and attach them;"
            + " withdraw a release.",
    subcommands = {
      ReleaseStatementCommand.class,
      ReleaseSign.class,
      ReleaseAttach.class,
      ReleaseRenew.class,
      ReleaseRevoke.class
    })
final class ReleaseCommand {
  private ReleaseCommand() {}

  /** {@code /api/v1/models/MODEL/versions/VERSION}, each part encoded. */
  static String path(String model, String version) {
    return "/api/v1/models/"
        + URLEncoder.encode(model, StandardCharsets.UTF_8)
        + "/versions/"
        + URLEncoder.encode(version, StandardCharsets.UTF_8);
  }
}
