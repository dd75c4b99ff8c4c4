package dev.ferry.cli;

import dev.ferry.protocol.api.ModelSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ferry models}. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List the published models.")
final class ModelsCommand implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return options.print(spec, options.client().get("/api/v1/models"), ModelsCommand::table);
  }

  private static Table table(Answer answer) {
    Table table = new Table("NAME", "LATEST", "RELEASE SEQ", "RELEASES", "CREATED");
    for (ModelSummary m : answer.listOf(ModelSummary.class)) {
      table.row(m.name(), m.latestVersion(), m.latestReleaseSeq(), m.releases(), m.createdAt());
    }
    return table;
  }
}
