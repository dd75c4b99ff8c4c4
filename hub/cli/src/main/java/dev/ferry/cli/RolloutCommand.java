package dev.ferry.cli;

import picocli.CommandLine.Command;

/** {@code ferry rollout …}: create, watch and steer rollouts. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Create, watch and steer rollouts.",
    subcommands = {
      RolloutCreate.class,
      RolloutStatus.class,
      RolloutAction.Pause.class,
      RolloutAction.Resume.class,
      RolloutAction.Cancel.class,
      RolloutAction.Rollback.class
    })
final class RolloutCommand {}
