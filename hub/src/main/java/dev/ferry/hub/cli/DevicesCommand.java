package dev.ferry.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry devices}. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = "List devices: online, last seen, labels, the models they serve.")
final class DevicesCommand implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Option(
      names = {"-l", "--selector"},
      description = "Only devices whose labels match (site=berlin,accel in (cuda,cpu)).")
  String selector;

  @Option(names = "--page", defaultValue = "0", description = "The page, from 0.")
  int page;

  @Option(names = "--size", defaultValue = "100", description = "Devices per page, 1 to 1000.")
  int size;

  @Override
  public Integer call() {
    String query = "?page=" + page + "&size=" + size;
    if (selector != null) {
      query += "&selector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
    }
    JsonNode devices = options.client().get("/api/v1/devices" + query);
    if (options.json) {
      Output.json(spec.commandLine().getOut(), devices);
      return 0;
    }
    Table table = new Table("ID", "ONLINE", "LAST SEEN", "LABELS", "MODELS");
    devices.forEach(
        d ->
            table.row(
                Output.text(d, "id"),
                d.path("online").asBoolean() ? "yes" : "no",
                Output.text(d, "lastSeen"),
                Output.pairs(d.get("labels")),
                models(d.get("reported"))));
    table.print(spec.commandLine().getOut());
    return 0;
  }

  /** {@code name@version (STATUS, EP)} for each model a device reported. */
  private static String models(JsonNode reported) {
    if (reported == null || !reported.has("models") || reported.get("models").isEmpty()) {
      return null;
    }
    StringJoiner joined = new StringJoiner(", ");
    for (JsonNode model : reported.get("models")) {
      JsonNode active = model.get("active");
      joined.add(
          Output.text(model, "name")
              + (active == null || active.isNull()
                  ? ""
                  : "@"
                      + Output.text(active, "version")
                      + " "
                      + Output.text(active, "executionProvider"))
              + " "
              + Output.text(model, "status"));
    }
    return joined.toString();
  }
}
