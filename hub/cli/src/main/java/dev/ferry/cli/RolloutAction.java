package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A POST to {@code /api/v1/rollouts/{id}/<action>}: pause, resume, cancel or rollback. */
abstract class RolloutAction implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The rollout.")
  String id;

  private final String action;

  RolloutAction(String action) {
    this.action = action;
  }

  @Override
  public Integer call() throws InterruptedException {
    HubClient client = options.client();
    Answer rollout = client.post("/api/v1/rollouts/" + id + "/" + action, null);
    return new RolloutView(client, options, spec).show(rollout, false);
  }

  /** {@code ferry rollout pause ID}. */
  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a rollout.")
  static final class Pause extends RolloutAction {
    Pause() {
      super("pause");
    }
  }

  /** {@code ferry rollout resume ID}. */
  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume a paused rollout (the next wave, after a wave's end or its errors).")
  static final class Resume extends RolloutAction {
    Resume() {
      super("resume");
    }
  }

  /** {@code ferry rollout cancel ID}. */
  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a rollout; devices not reached never receive it.")
  static final class Cancel extends RolloutAction {
    Cancel() {
      super("cancel");
    }
  }

  /** {@code ferry rollout rollback ID}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "Send every device the rollout touched back to its previous release.")
  static final class Rollback extends RolloutAction {
    Rollback() {
      super("rollback");
    }
  }
}
