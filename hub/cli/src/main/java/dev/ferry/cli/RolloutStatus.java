package dev.ferry.cli;

import dev.ferry.protocol.api.Rollout;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry rollout status [ID]}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show one rollout with its waves, or list the newest rollouts.")
final class RolloutStatus implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The rollout.")
  String id;

  @Option(names = "--wait", description = "Wait until it ends; exit 7 unless it SUCCEEDED.")
  boolean await;

  @Override
  public Integer call() throws InterruptedException {
    HubClient client = options.client();
    if (id == null) {
      return options.print(spec, client.get("/api/v1/rollouts"), RolloutStatus::table);
    }
    Answer rollout = client.get("/api/v1/rollouts/" + id);
    return new RolloutView(client, options, spec).show(rollout, await);
  }

  private static Table table(Answer answer) {
    Table table = new Table("ID", "MODEL", "VERSION", "STATE", "WAVE", "PROGRESS", "CREATED");
    for (Rollout r : answer.listOf(Rollout.class)) {
      table.row(
          r.id(),
          r.model(),
          r.version(),
          r.state(),
          r.wave() + "/" + r.waves(),
          Output.pairs(r.progress()),
          r.createdAt());
    }
    return table;
  }
}
