package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/** Prints one rollout with its waves, after waiting for it to end when asked. */
final class RolloutView {
  private static final Set<String> ENDED =
      Set.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "CANCELLED", "PAUSED");
  private static final Duration POLL = Duration.ofSeconds(1);

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
   * Prints the rollout, first waiting until it ends if {@code await}.
   *
   * @return the exit code: 0, or 7 when a waited-for rollout ended other than SUCCEEDED
   */
  int show(JsonNode rollout, boolean await) throws InterruptedException {
    JsonNode last = await ? waitFor(rollout) : rollout;
    print(last);
    boolean succeeded = "SUCCEEDED".equals(Output.text(last, "state"));
    return !await || succeeded ? 0 : Ferry.ROLLOUT_NOT_SUCCEEDED;
  }

  /** Polls the rollout until it ends, printing each new state line on the error stream. */
  private JsonNode waitFor(JsonNode rollout) throws InterruptedException {
    String id = Output.text(rollout, "id");
    String shown = null;
    while (!ENDED.contains(Output.text(rollout, "state"))) {
      String line = progress(rollout);
      if (!line.equals(shown)) {
        err.println(line);
        err.flush();
        shown = line;
      }
      Thread.sleep(POLL.toMillis());
      rollout = client.get("/api/v1/rollouts/" + id).tree();
    }
    return rollout;
  }

  private static String progress(JsonNode rollout) {
    return String.format(
        "%s wave %s/%s %s",
        Output.text(rollout, "state"),
        Output.text(rollout, "wave"),
        Output.text(rollout, "waves"),
        Output.pairs(rollout.get("progress")));
  }

  private void print(JsonNode rollout) {
    if (options.json) {
      Output.json(out, rollout);
      return;
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
    waves(rollout.path("waveProgress"));
    out.flush();
  }

  private void waves(JsonNode perWave) {
    if (perWave.isEmpty()) {
      return;
    }
    Table waves = new Table("WAVE", "DEVICES", "PROGRESS");
    for (JsonNode w : perWave) {
      waves.row(Output.text(w, "wave"), Output.text(w, "devices"), Output.pairs(w.get("progress")));
    }
    waves.print(out);
  }
}
