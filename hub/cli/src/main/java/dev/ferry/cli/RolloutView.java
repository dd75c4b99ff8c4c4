package dev.ferry.cli;

import dev.ferry.protocol.api.DeviceInRollout;
import dev.ferry.protocol.api.InterfaceChange;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.ServedMetrics;
import dev.ferry.protocol.api.WaveProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints one rollout with its waves and what its devices served, after waiting for it to end when
 * asked.
 */
final class RolloutView {
  private static final Set<String> ENDED =
      Set.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "CANCELLED", "PAUSED");
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final int HELD_NAMED = 10;

  private final HubClient client;
  private final HubOptions options;
  private final PrintWriter out;
  private final PrintWriter err;

  RolloutView(HubClient client, HubOptions options, CommandSpec spec) {
    this.client = client;
    this.options = options;
    this.out = spec.commandLine().getOut();
    this.err = spec.commandLine().getErr();
  }

  /**
   * Prints the rollout the hub answered with, first waiting until it ends if {@code await}.
   *
   * @return the exit code: 0, or 7 when a waited-for rollout ended other than SUCCEEDED
   */
  int show(Answer answer, boolean await) throws InterruptedException {
    Answer last = await ? waitFor(answer) : answer;
    Rollout rollout = last.as(Rollout.class);
    print(last, rollout);
    return !await || "SUCCEEDED".equals(rollout.state()) ? 0 : Ferry.ROLLOUT_NOT_SUCCEEDED;
  }

  /**
   * Polls the rollout until it ends, printing each new progress line on the error stream; polls
   * without its devices (a large rollout's every device is read only once, at the end). Should the
   * rollout go on again between its end and that last read (devices that joined it), it is polled
   * on, so that what is printed is the view of an ended rollout.
   */
  private Answer waitFor(Answer answer) throws InterruptedException {
    Rollout rollout = answer.as(Rollout.class);
    String shown = null;
    while (!ENDED.contains(rollout.state())) {
      while (!ENDED.contains(rollout.state())) {
        shown = report(progress(rollout), shown);
        Thread.sleep(POLL.toMillis());
        rollout =
            client.get("/api/v1/rollouts/" + rollout.id() + "?devices=false").as(Rollout.class);
      }
      answer = client.get("/api/v1/rollouts/" + rollout.id());
      rollout = answer.as(Rollout.class);
    }
    return answer;
  }

  private String report(String line, String shown) {
    if (!line.equals(shown)) {
      err.println(line);
      err.flush();
    }
    return line;
  }

  private static String progress(Rollout rollout) {
    return String.format(
        "%s wave %d/%d %s",
        rollout.state(), rollout.wave(), rollout.waves(), Output.pairs(rollout.progress()));
  }

  private void print(Answer answer, Rollout rollout) {
    if (options.json) {
      Output.json(out, answer);
      return;
    }
    out.printf(
        "rollout %s: %s %s, %s, wave %d of %d%n",
        rollout.id(),
        rollout.model(),
        rollout.version(),
        rollout.state(),
        rollout.wave(),
        rollout.waves());
    if (rollout.reason() != null) {
      out.println("  " + rollout.reason());
    }
    interfaceChanges(rollout.interfaceChanges());
    waves(rollout.waveProgress());
    held(rollout);
    served(rollout.metrics());
    out.flush();
  }

  /** What the rollout changes for its devices' local clients, per release they were assigned. */
  private void interfaceChanges(List<InterfaceChange> changes) {
    if (changes == null) {
      return;
    }
    for (InterfaceChange change : changes) {
      out.printf(
          "  interface changed for the local clients of %d device%s assigned %s: %s%n",
          change.devices(),
          change.devices() == 1 ? "" : "s",
          change.from(),
          change.changes() == null ? "" : String.join("; ", change.changes()));
    }
  }

  /**
   * The devices that hold the rollout back, the first few: those that failed or rolled back, with
   * their reason, and those assigned that are offline or say why they retry.
   */
  private void held(Rollout rollout) {
    if (rollout.devices() == null) {
      return;
    }
    List<DeviceInRollout> held =
        rollout.devices().stream().filter(d -> RolloutView.why(d) != null).toList();
    if (held.isEmpty()) {
      return;
    }
    Table table = new Table("DEVICE", "WAVE", "STATE", "WHY");
    held.stream().limit(HELD_NAMED).forEach(d -> table.row(d.id(), d.wave(), d.state(), why(d)));
    if (held.size() > HELD_NAMED) {
      table.note("and " + (held.size() - HELD_NAMED) + " more (--json lists every device)");
    }
    table.print(out);
  }

  /** Why a device holds the rollout back; null when it does not. */
  private static String why(DeviceInRollout device) {
    return switch (device.state()) {
      case "FAILED", "ROLLED_BACK" -> device.reason() == null ? "-" : device.reason();
      case "ASSIGNED" ->
          Boolean.FALSE.equals(device.online())
              ? device.lastSeen() == null
                  ? "offline, never seen"
                  : "offline since " + device.lastSeen()
              : device.reason();
      default -> null;
    };
  }

  /** What the devices served, per version, provider and variant, as the metric gates judge it. */
  private void served(List<ServedMetrics> metrics) {
    if (metrics == null || metrics.isEmpty()) {
      return;
    }
    Table served =
        new Table("VERSION", "PROVIDER", "VARIANT", "REQUESTS", "ERRORS", "ERROR RATE", "P99 MS");
    for (ServedMetrics m : metrics) {
      served.row(
          m.version(),
          m.provider().isEmpty() ? null : m.provider(),
          m.variant(),
          m.requests(),
          m.errors(),
          String.format(Locale.ROOT, "%.2f%%", 100 * m.errorRate()),
          m.p99Millis());
    }
    served.print(out);
  }

  private void waves(List<WaveProgress> perWave) {
    if (perWave == null || perWave.isEmpty()) {
      return;
    }
    // a rollout that prefetches counts, per wave, the devices that have its release cached
    boolean prefetches = perWave.stream().anyMatch(w -> w.prefetched() != null);
    boolean offline = perWave.stream().anyMatch(w -> w.offline() != null);
    List<String> headers = new ArrayList<>(List.of("WAVE", "DEVICES"));
    if (prefetches) {
      headers.add("PREFETCHED");
    }
    headers.add("PROGRESS");
    if (offline) {
      headers.add("OFFLINE");
    }
    Table waves = new Table(headers.toArray(String[]::new));
    for (WaveProgress w : perWave) {
      List<Object> row = new ArrayList<>(List.of(w.wave(), w.devices()));
      if (prefetches) {
        row.add(w.prefetched());
      }
      row.add(Output.pairs(w.progress()));
      if (offline) {
        row.add(w.offline());
      }
      waves.row(row.toArray());
    }
    waves.print(out);
  }
}
