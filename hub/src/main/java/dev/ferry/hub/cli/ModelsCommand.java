package dev.ferry.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
    JsonNode models = options.client().get("/api/v1/models");
    if (options.json) {
      Output.json(spec.commandLine().getOut(), models);
      return 0;
    }
    Table table = new Table("NAME", "LATEST", "RELEASE SEQ", "RELEASES", "CREATED");
    models.forEach(
        m ->
            table.row(
                Output.text(m, "name"),
                Output.text(m, "latestVersion"),
                Output.text(m, "latestReleaseSeq"),
                Output.text(m, "releases"),
                Output.text(m, "createdAt")));
    table.print(spec.commandLine().getOut());
    return 0;
  }
}
