package dev.ferry.cli;

import dev.ferry.protocol.api.Device;
import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.VersionInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry devices}. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description =
        "List devices: online, last seen, labels, the models they serve; show, accept or revoke"
            + " one.",
    subcommands = {DeviceAction.Show.class, DeviceAction.Accept.class, DeviceAction.Revoke.class})
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
    return options.print(
        spec, options.client().get("/api/v1/devices" + query()), DevicesCommand::table);
  }

  private String query() {
    String query = "?page=" + page + "&size=" + size;
    return selector == null
        ? query
        : query + "&selector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
  }

  private static Table table(Answer answer) {
    Table table = new Table("ID", "ONLINE", "LAST SEEN", "LABELS", "MODELS");
    for (Device d : answer.listOf(Device.class)) {
      table.row(
          d.id(),
          d.online() ? "yes" : "no",
          d.lastSeen(),
          Output.pairs(d.labels()),
          models(d.reported()));
    }
    return table;
  }

  /** {@code name@version EP STATUS} for each model a device reported. */
  static String models(String reported) {
    if (reported == null) {
      return null;
    }
    ReportedState state = Answer.decode(reported, ReportedState.class);
    return state.models().isEmpty()
        ? null
        : state.models().stream().map(DevicesCommand::model).collect(Collectors.joining(", "));
  }

  /**
   * {@code name version: reason} for each model whose desired version does not serve and that says
   * why (retrying, failed, rolled back); null when none does.
   */
  static String waiting(String reported) {
    if (reported == null) {
      return null;
    }
    String waiting =
        Answer.decode(reported, ReportedState.class).models().stream()
            .filter(m -> m.reason() != null)
            .map(m -> m.name() + " " + m.desiredVersion() + ": " + m.reason())
            .collect(Collectors.joining("; "));
    return waiting.isEmpty() ? null : waiting;
  }

  private static String model(ModelReport model) {
    VersionInfo active = model.active();
    String serving =
        active == null ? "" : "@" + active.version() + " " + active.executionProvider();
    return model.name() + serving + " " + model.status();
  }
}
