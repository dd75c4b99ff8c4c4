package dev.ferry.cli;

import picocli.CommandLine.Command;

/** {@code ferry release …}: release statements signed offline; releases withdrawn. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Sign release statements with the release key, away from the hub; withdraw a release.",
    subcommands = {ReleaseSign.class, ReleaseRevoke.class})
final class ReleaseCommand {
  private ReleaseCommand() {}
}
