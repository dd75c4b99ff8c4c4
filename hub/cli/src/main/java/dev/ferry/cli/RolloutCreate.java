package dev.ferry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry rollout create}. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Roll a release out to the devices a selector matches, or to listed devices.")
final class RolloutCreate implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "The model.")
  String model;

  @Option(names = "--version", required = true, description = "The release's version.")
  String version;

  @ArgGroup(multiplicity = "1")
  Targets targets;

  /** A selector or listed devices, one of them. */
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
    HubClient client = options.client();
    Answer rollout = client.post("/api/v1/rollouts", body());
    return new RolloutView(client, options, spec).show(rollout.tree(), await);
  }

  /** The request: only what the command line names, so the hub's defaults apply. */
  private ObjectNode body() {
    ObjectNode body = Answer.JSON.createObjectNode().put("model", model).put("version", version);
    if (targets.selector != null) {
      body.put("selector", targets.selector);
    } else {
      targets.devices.forEach(body.putArray("devices")::add);
    }
    strategy(body.putObject("strategy"));
    return body;
  }

  private void strategy(ObjectNode strategy) {
    if (waves != null) {
      waves.forEach(strategy.putArray("waves")::add);
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
      gates(strategy.putObject("metricGates"));
    }
  }

  private void gates(ObjectNode gates) {
    putIf(gates, "maxErrorRateIncrease", maxErrorRateIncrease);
    putIf(gates, "maxLatencyP99Ratio", maxLatencyP99Ratio);
    putIf(gates, "minRequests", minRequests);
  }

  private static void putIf(ObjectNode node, String field, Object value) {
    if (value != null) {
      node.set(field, Answer.JSON.valueToTree(value));
    }
  }
}
