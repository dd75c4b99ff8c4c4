package dev.ferry.cli;

import dev.ferry.protocol.api.EnrollmentToken;
import dev.ferry.protocol.api.EnrollmentTokenRequest;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry enrollment-token …}: the tokens devices enroll with. */
@Command(
    name = "enrollment-token",
    mixinStandardHelpOptions = true,
    description = "Create, list and delete the tokens devices enroll with.",
    subcommands = {
      EnrollmentTokenCommand.Create.class,
      EnrollmentTokenCommand.ListTokens.class,
      EnrollmentTokenCommand.Delete.class
    })
final class EnrollmentTokenCommand {
  private static final String PATH = "/api/v1/enrollment-tokens";

  /** {@code ferry enrollment-token create}: prints the token, the only time it is shown. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a token for one device or for devices with labels. Prints the token alone on"
            + " standard output (TOKEN=$(ferry enrollment-token create …)); it is shown only now.",
        "Give it to the agent as a file (ferry.agent.enrollment.token-file), never on a command"
            + " line."
      })
  static final class Create implements Callable<Integer> {
    @Mixin HubOptions options;
    @Spec CommandSpec spec;

    @Option(names = "--device", paramLabel = "ID", description = "The one device it enrolls.")
    String device;

    @Option(
        names = "--label",
        paramLabel = "KEY=VALUE",
        description = "A hub label of the devices it enrolls; repeatable.")
    Map<String, String> labels;

    @Option(
        names = "--expires-in",
        paramLabel = "DURATION",
        description = "How long it is valid, PT1M to P365D (hub default P1D).")
    String expiresIn;

    @Option(names = "--uses", paramLabel = "N", description = "Devices it enrolls (default 1).")
    Integer uses;

    @Override
    public Integer call() {
      Answer answer =
          options.client().post(PATH, new EnrollmentTokenRequest(device, labels, expiresIn, uses));
      if (options.json) {
        Output.json(spec.commandLine().getOut(), answer);
        return 0;
      }
      EnrollmentToken token = answer.as(EnrollmentToken.class);
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "enrollment token %s: %s, %d use(s), expires %s; the token is shown only now%n",
          token.id(),
          token.deviceId() == null ? "any device" : "device " + token.deviceId(),
          token.usesLeft(),
          token.expiresAt());
      err.flush();
      spec.commandLine().getOut().println(token.token());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code ferry enrollment-token list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin HubOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return options.print(spec, options.client().get(PATH), ListTokens::table);
    }

    private static Table table(Answer answer) {
      Table table =
          new Table("ID", "DEVICE", "LABELS", "USES LEFT", "EXPIRES", "CREATED BY", "CREATED");
      for (EnrollmentToken t : answer.listOf(EnrollmentToken.class)) {
        table.row(
            t.id(),
            t.deviceId(),
            Output.pairs(t.labels()),
            t.usesLeft(),
            t.expiresAt(),
            t.createdBy(),
            t.createdAt());
      }
      return table;
    }
  }

  /** {@code ferry enrollment-token delete ID}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a token; the devices it enrolled stay enrolled.")
  static final class Delete implements Callable<Integer> {
    @Mixin HubOptions options;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id.")
    String id;

    @Override
    public Integer call() {
      options.client().delete(PATH + "/" + id);
      spec.commandLine().getOut().println("deleted enrollment token " + id);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
