package dev.ferry.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry events}. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Show the devices' update events, newest first.")
final class EventsCommand implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--device", description = "Only this device's.")
  String device;

  @Option(names = "--model", description = "Only this model's.")
  String model;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many, 1 to 1000.")
  int limit;

  @Override
  public Integer call() {
    StringBuilder query = new StringBuilder("?limit=" + limit);
    if (device != null) {
      query.append("&device=").append(URLEncoder.encode(device, StandardCharsets.UTF_8));
    }
    if (model != null) {
      query.append("&model=").append(URLEncoder.encode(model, StandardCharsets.UTF_8));
    }
    JsonNode events = options.client().get("/api/v1/events" + query);
    if (options.json) {
      Output.json(spec.commandLine().getOut(), events);
      return 0;
    }
    Table table = new Table("AT", "DEVICE", "TYPE", "MODEL", "VERSION", "REASON");
    events.forEach(
        e ->
            table.row(
                Output.text(e, "at"),
                Output.text(e, "deviceId"),
                Output.text(e, "type"),
                Output.text(e, "model"),
                Output.text(e, "version"),
                Output.text(e, "reason")));
    table.print(spec.commandLine().getOut());
    return 0;
  }
}
