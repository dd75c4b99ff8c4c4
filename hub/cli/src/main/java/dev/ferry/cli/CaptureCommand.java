package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureTensors;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry capture …}: capture policies and the datasets devices captured. */
@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    description = "Set capture policies; list and pull captured datasets.",
    subcommands = {
      CaptureCommand.List.class,
      CaptureCommand.Pack.class,
      CapturePull.class,
      CaptureCommand.PolicySet.class,
      CaptureCommand.PolicyClear.class
    })
final class CaptureCommand {
  static String path(String model, String version) {
    return "/api/v1/models/" + model + "/versions/" + version + "/captures";
  }

  /** What a policy is set on: a release version ({@code MODEL VERSION}) or {@code --rollout ID}. */
  static final class Scope {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL")
    String model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION")
    String version;

    @Option(names = "--rollout", description = "Set it on a rollout instead of a version.")
    String rollout;

    /** The policy's API path. */
    String path(CommandSpec spec) {
      if ((rollout == null) == (model == null || version == null)) {
        throw new ParameterException(
            spec.commandLine(), "name either MODEL VERSION or --rollout ID, not both or neither");
      }
      return rollout != null
          ? "/api/v1/rollouts/" + rollout + "/capture-policy"
          : CaptureCommand.path(model, version) + "/policy";
    }
  }

  /** {@code ferry capture list MODEL VERSION}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a model version's datasets.")
  static final class List implements Callable<Integer> {
    @Mixin HubOptions options;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Override
    public Integer call() {
      return options.print(spec, options.client().get(path(model, version)), List::table);
    }

    static Table table(Answer answer) {
      Table table = new Table("DATASET", "SAMPLES", "DEVICES", "FROM", "TO", "POLICY", "REFERENCE");
      for (JsonNode d : answer.tree()) {
        table.row(
            d.path("name").asText(),
            d.path("samples").asInt(),
            d.path("devices").size(),
            d.path("from").asText(),
            d.path("to").asText(),
            policy(d.path("capturedUnder")),
            d.path("reference").asText());
      }
      return table;
    }

    /**
     * The policy a dataset was captured under: its scope (the rollout's id for a rollout's) and the
     * first 12 hex digits of its digest; null when not known.
     */
    static String policy(JsonNode under) {
      if (!under.isObject()) {
        return null;
      }
      String scope =
          under.path("rollout").isTextual()
              ? "rollout " + under.path("rollout").asText()
              : under.path("scope").asText();
      String digest = under.path("digest").asText();
      return scope + " " + digest.substring(0, Math.min(digest.length(), "sha256:".length() + 12));
    }
  }

  /** {@code ferry capture pack MODEL VERSION [--day D]}. */
  @Command(
      name = "pack",
      mixinStandardHelpOptions = true,
      description = "Pack the samples uploaded for a model version and day into datasets now.")
  static final class Pack implements Callable<Integer> {
    @Mixin HubOptions options;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "UTC day; today if absent.")
    String day;

    @Override
    public Integer call() {
      String query = day == null ? "" : "?day=" + day;
      Answer made = options.client().post(path(model, version) + "/pack" + query, null);
      return options.print(spec, made, List::table);
    }
  }

  /** {@code ferry capture policy-set (MODEL VERSION | --rollout ID) --rate R …}. */
  @Command(
      name = "policy-set",
      mixinStandardHelpOptions = true,
      description =
          "Switch capture on for a model version or a rollout; the hub re-signs the affected"
              + " devices' desired states at once.")
  static final class PolicySet implements Callable<Integer> {
    @Mixin HubOptions options;
    @Mixin Scope scope;
    @Spec CommandSpec spec;

    @Option(names = "--rate", required = true, description = "Share of requests sampled, 0..1.")
    double rate;

    @Option(names = "--max-per-hour", defaultValue = "60", description = "Per device.")
    long maxPerHour;

    @Option(names = "--max-bytes-per-day", defaultValue = "52428800", description = "Per device.")
    long maxBytesPerDay;

    @Option(names = "--tensors", defaultValue = "BOTH", description = "INPUTS, OUTPUTS or BOTH.")
    CaptureTensors tensors;

    @Option(names = "--prefer-failed", description = "Always sample failed requests.")
    boolean preferFailed;

    @Option(names = "--confidence-below", description = "Always sample below this confidence.")
    Double confidenceBelow;

    @Option(names = "--confidence-output", description = "The output the confidence is read from.")
    String confidenceOutput;

    @Option(names = "-l", description = "Device label the policy applies to, key=value.")
    Map<String, String> selector;

    @Override
    public Integer call() {
      CapturePolicy policy =
          new CapturePolicy(
              rate,
              maxPerHour,
              maxBytesPerDay,
              tensors,
              preferFailed,
              confidenceBelow,
              confidenceOutput,
              selector);
      HubClient client = options.client();
      Answer answer =
          client.send(
              client
                  .request(scope.path(spec))
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          Answer.JSON.valueToTree(policy).toString())));
      return options.print(spec, answer, PolicySet::table);
    }

    /** The policy the hub stored, and how many devices' desired states now carry it. */
    private static Table table(Answer answer) {
      JsonNode tree = answer.tree();
      JsonNode p = tree.path("policy");
      String selector = p.path("selector").isEmpty() ? "-" : p.path("selector").toString();
      return new Table(
              "RATE",
              "MAX/HOUR",
              "MAX BYTES/DAY",
              "TENSORS",
              "PREFER FAILED",
              "SELECTOR",
              "DEVICES RE-SIGNED")
          .row(
              p.path("sampleRate").asText(),
              p.path("maxPerHour").asText(),
              p.path("maxBytesPerDay").asText(),
              p.path("tensors").asText(),
              p.path("preferFailed").asText(),
              selector,
              tree.path("devicesResigned").asInt());
    }
  }

  /** {@code ferry capture policy-clear (MODEL VERSION | --rollout ID)}. */
  @Command(
      name = "policy-clear",
      mixinStandardHelpOptions = true,
      description = "Clear a model version's or a rollout's capture policy.")
  static final class PolicyClear implements Callable<Integer> {
    @Mixin HubOptions options;
    @Mixin Scope scope;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Answer answer = options.client().delete(scope.path(spec));
      if (!answer.body().isBlank()) {
        return options.print(
            spec,
            answer,
            a ->
                new Table("POLICY", "DEVICES RE-SIGNED")
                    .row("cleared", a.tree().path("devicesResigned").asInt()));
      }
      return 0;
    }
  }
}
