package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry rollout …}: create, watch and steer rollouts. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Create, watch and steer rollouts.",
    subcommands = {
      RolloutCommand.Create.class,
      RolloutCommand.Status.class,
      RolloutCommand.Pause.class,
      RolloutCommand.Resume.class,
      RolloutCommand.Cancel.class,
      RolloutCommand.Rollback.class
    })
final class RolloutCommand {
  private static final Set<String> ENDED =
      Set.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "CANCELLED", "PAUSED");

  /** {@code ferry rollout create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Roll a release out to the devices a selector matches, or to listed devices.")
  static final class Create implements Callable<Integer> {
    @Mixin HubOptions options;
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, description = "The model.")
    String model;

    @Option(names = "--version", required = true, description = "The release's version.")
    String version;

    @ArgGroup(multiplicity = "1")
    Targets targets;

    static final class Targets {
      @Option(
          names = {"-l", "--selector"},
          description = "Devices whose labels match, also those that join later.")
      String selector;

      @Option(names = "--device", description = "A device id; repeat for more.")
      List<String> devices;
    }

    @Option(
        names = "--waves",
        split = ",",
        paramLabel = "END",
        description = "Cumulative wave ends, counts or shares: 1,10%%,100%% (a canary first).")
    List<String> waves;

    @Option(names = "--success-threshold", description = "Share of a wave ACTIVE, 0 to 1.")
    Double successThreshold;

    @Option(names = "--error-threshold", description = "Share FAILED above which --on-error acts.")
    Double errorThreshold;

    @Option(names = "--on-error", description = "pause, rollback or fail.")
    String onError;

    @Option(names = "--probation", paramLabel = "SECONDS", description = "Probation per wave.")
    Long probationSeconds;

    @Option(
        names = "--max-error-rate-increase",
        description = "Metric gate: new error rate at most this above the previous (0.01 = 1 pt).")
    Double maxErrorRateIncrease;

    @Option(
        names = "--max-p99-ratio",
        description = "Metric gate: new p99 latency at most this multiple of the previous.")
    Double maxLatencyP99Ratio;

    @Option(names = "--min-requests", description = "Requests before the gates judge.")
    Long minRequests;

    @Option(names = "--no-auto-advance", description = "Wait for a resume after every wave.")
    boolean manual;

    @Option(names = "--start-at", paramLabel = "INSTANT", description = "Start later (ISO-8601).")
    String startAt;

    @Option(names = "--wait", description = "Wait until it ends; exit 7 unless it SUCCEEDED.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      ObjectNode body = Answer.JSON.createObjectNode().put("model", model).put("version", version);
      if (targets.selector != null) {
        body.put("selector", targets.selector);
      } else {
        ArrayNode listed = body.putArray("devices");
        targets.devices.forEach(listed::add);
      }
      ObjectNode strategy = body.putObject("strategy");
      if (waves != null) {
        ArrayNode ends = strategy.putArray("waves");
        waves.forEach(ends::add);
      }
      putIf(strategy, "successThreshold", successThreshold);
      putIf(strategy, "errorThreshold", errorThreshold);
      putIf(strategy, "onError", onError);
      putIf(strategy, "probationSeconds", probationSeconds);
      putIf(strategy, "startAt", startAt);
      if (manual) {
        strategy.put("autoAdvance", false);
      }
      if (maxErrorRateIncrease != null || maxLatencyP99Ratio != null || minRequests != null) {
        ObjectNode gates = strategy.putObject("metricGates");
        putIf(gates, "maxErrorRateIncrease", maxErrorRateIncrease);
        putIf(gates, "maxLatencyP99Ratio", maxLatencyP99Ratio);
        putIf(gates, "minRequests", minRequests);
      }
      HubClient client = options.client();
      JsonNode rollout = client.post("/api/v1/rollouts", body).tree();
      return await ? waitFor(client, rollout, options, spec) : show(rollout, options, spec);
    }

    private static void putIf(ObjectNode node, String field, Object value) {
      if (value != null) {
        node.set(field, Answer.JSON.valueToTree(value));
      }
    }
  }

  /** {@code ferry rollout status [ID]}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show one rollout with its waves, or list the newest rollouts.")
  static final class Status implements Callable<Integer> {
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
        JsonNode rollouts = client.get("/api/v1/rollouts").tree();
        if (options.json) {
          Output.json(spec.commandLine().getOut(), rollouts);
          return 0;
        }
        Table table = new Table("ID", "MODEL", "VERSION", "STATE", "WAVE", "PROGRESS", "CREATED");
        rollouts.forEach(
            r ->
                table.row(
                    Output.text(r, "id"),
                    Output.text(r, "model"),
                    Output.text(r, "version"),
                    Output.text(r, "state"),
                    Output.text(r, "wave") + "/" + Output.text(r, "waves"),
                    Output.pairs(r.get("progress")),
                    Output.text(r, "createdAt")));
        table.print(spec.commandLine().getOut());
        return 0;
      }
      JsonNode rollout = client.get("/api/v1/rollouts/" + id).tree();
      return await ? waitFor(client, rollout, options, spec) : show(rollout, options, spec);
    }
  }

  /** {@code ferry rollout pause ID}. */
  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a rollout.")
  static final class Pause extends Action {
    Pause() {
      super("pause");
    }
  }

  /** {@code ferry rollout resume ID}. */
  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume a paused rollout (the next wave, after a wave's end or its errors).")
  static final class Resume extends Action {
    Resume() {
      super("resume");
    }
  }

  /** {@code ferry rollout cancel ID}. */
  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a rollout; devices not reached never receive it.")
  static final class Cancel extends Action {
    Cancel() {
      super("cancel");
    }
  }

  /** {@code ferry rollout rollback ID}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = "Send every device the rollout touched back to its previous release.")
  static final class Rollback extends Action {
    Rollback() {
      super("rollback");
    }
  }

  /** A POST to {@code /api/v1/rollouts/{id}/<action>}. */
  abstract static class Action implements Callable<Integer> {
    @Mixin HubOptions options;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The rollout.")
    String id;

    private final String action;

    Action(String action) {
      this.action = action;
    }

    @Override
    public Integer call() {
      return show(
          options.client().post("/api/v1/rollouts/" + id + "/" + action, null).tree(),
          options,
          spec);
    }
  }

  private static int waitFor(
      HubClient client, JsonNode rollout, HubOptions options, CommandSpec spec)
      throws InterruptedException {
    String id = Output.text(rollout, "id");
    PrintWriter err = spec.commandLine().getErr();
    String last = null;
    while (!ENDED.contains(Output.text(rollout, "state"))) {
      String line =
          Output.text(rollout, "state")
              + " wave "
              + Output.text(rollout, "wave")
              + "/"
              + Output.text(rollout, "waves")
              + " "
              + Output.pairs(rollout.get("progress"));
      if (!line.equals(last)) {
        err.println(line);
        err.flush();
        last = line;
      }
      Thread.sleep(Duration.ofSeconds(1).toMillis());
      rollout = client.get("/api/v1/rollouts/" + id).tree();
    }
    show(rollout, options, spec);
    return "SUCCEEDED".equals(Output.text(rollout, "state")) ? 0 : Ferry.ROLLOUT_NOT_SUCCEEDED;
  }

  private static int show(JsonNode rollout, HubOptions options, CommandSpec spec) {
    PrintWriter out = spec.commandLine().getOut();
    if (options.json) {
      Output.json(out, rollout);
      return 0;
    }
    out.printf(
        "rollout %s: %s %s, %s, wave %s of %s%n",
        Output.text(rollout, "id"),
        Output.text(rollout, "model"),
        Output.text(rollout, "version"),
        Output.text(rollout, "state"),
        Output.text(rollout, "wave"),
        Output.text(rollout, "waves"));
    if (rollout.hasNonNull("reason")) {
      out.println("  " + Output.text(rollout, "reason"));
    }
    Table waves = new Table("WAVE", "DEVICES", "PROGRESS");
    JsonNode perWave = rollout.path("waveProgress");
    perWave.forEach(
        w ->
            waves.row(
                Output.text(w, "wave"),
                Output.text(w, "devices"),
                Output.pairs(w.get("progress"))));
    if (!perWave.isEmpty()) {
      waves.print(out);
    }
    out.flush();
    return 0;
  }
}
