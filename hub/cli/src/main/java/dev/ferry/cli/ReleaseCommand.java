package dev.ferry.cli;

import picocli.CommandLine.Command;

/** {@code ferry release …}: release statements handled with the release key, offline. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = "Sign release statements with the release key, away from the hub.",
    subcommands = {ReleaseSign.class})
final class ReleaseCommand {
  private ReleaseCommand() {}
}
