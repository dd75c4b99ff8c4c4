package dev.ferry.cli;

import dev.ferry.protocol.device.DeviceEvent;
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
    String query = "?limit=" + limit + parameter("device", device) + parameter("model", model);
    return options.print(
        spec, options.client().get("/api/v1/events" + query), EventsCommand::table);
  }

  private static String parameter(String name, String value) {
    return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Table table(Answer answer) {
    Table table = new Table("AT", "DEVICE", "TYPE", "MODEL", "VERSION", "REASON");
    for (DeviceEvent e : answer.listOf(DeviceEvent.class)) {
      table.row(e.at(), e.deviceId(), e.type(), e.model(), e.version(), e.reason());
    }
    return table;
  }
}
