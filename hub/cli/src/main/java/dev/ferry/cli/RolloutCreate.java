package dev.ferry.cli;

import dev.ferry.protocol.api.MetricGates;
import dev.ferry.protocol.api.RolloutRequest;
import dev.ferry.protocol.api.RolloutStrategy;
import java.time.Instant;
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

  @Option(
      names = "--prefetch",
      description = "Later waves fetch the release into their cache when the rollout starts.")
  boolean prefetch;

  @Option(
      names = "--start-at",
      paramLabel = "INSTANT",
      description = "Start later (ISO-8601: 2026-12-24T06:00:00Z).")
  Instant startAt;

  @Option(names = "--wait", description = "Wait until it ends; exit 7 unless it SUCCEEDED.")
  boolean await;

  @Override
  public Integer call() throws InterruptedException {
    HubClient client = options.client();
    Answer rollout = client.post("/api/v1/rollouts", request());
    return new RolloutView(client, options, spec).show(rollout, await);
  }

  /**
   * The request: only what the command line names (nulls are left out), so the hub's defaults
   * apply.
   */
  private RolloutRequest request() {
    return new RolloutRequest(model, version, targets.devices, targets.selector, strategy());
  }

  private RolloutStrategy strategy() {
    return new RolloutStrategy(
        waves,
        successThreshold,
        errorThreshold,
        onError,
        gates(),
        probationSeconds,
        manual ? Boolean.FALSE : null,
        startAt,
        prefetch ? Boolean.TRUE : null);
  }

  private MetricGates gates() {
    boolean any = maxErrorRateIncrease != null || maxLatencyP99Ratio != null || minRequests != null;
    return any ? new MetricGates(maxErrorRateIncrease, maxLatencyP99Ratio, minRequests) : null;
  }
}
