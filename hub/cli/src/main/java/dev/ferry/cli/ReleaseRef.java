package dev.ferry.cli;

import picocli.CommandLine.Parameters;

/** The {@code MODEL VERSION} a release command acts on, and the hub path of that release. */
final class ReleaseRef {
  @Parameters(index = "0", paramLabel = "MODEL", description = "The model.")
  String model;

  @Parameters(index = "1", paramLabel = "VERSION", description = "The version.")
  String version;

  /** The release's path on the hub, followed by {@code suffix}. */
  String path(String suffix) {
    return ReleaseCommand.path(model, version) + suffix;
  }
}
