package dev.ferry.cli;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ferry}: the release manager's command line over the hub's REST API. Plain Java (no Quarkus
 * at run time), packaged as {@code hub/cli/target/ferry-cli.jar} and installed as {@code ferry} by
 * {@code deploy/cli/install.sh}.
 */
@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = Ferry.Version.class,
    description =
        "Publish models, roll them out, enroll devices and watch the fleet, through a Ferry hub;"
            + " create and rotate the fleet's trust root, offline.",
    subcommands = {
      PublishCommand.class,
      ModelsCommand.class,
      RolloutCommand.class,
      DevicesCommand.class,
      EnrollmentTokenCommand.class,
      EventsCommand.class,
      TrustCommand.class,
      ReleaseCommand.class,
      CaptureCommand.class
    },
    footerHeading = "%nConfiguration:%n",
    footer = {
      "  The hub: --hub, else FERRY_HUB_URL, else 'hub' in the config file, else"
          + " http://localhost:8080.",
      "  The token: FERRY_TOKEN, else 'token' in the config file ($FERRY_CONFIG, else"
          + " ~/.config/ferry/cli.properties). Never on the command line: it would show in ps and"
          + " the shell history.",
      "%nExit codes:",
      "  0 done; 1 the hub refused the request (400, 413, 422); 2 bad command line (a file",
      "  named on it that cannot be read among them);",
      "  3 no or a refused token (401, 403); 4 not found (404); 5 conflict (409);",
      "  6 hub unreachable or failing (5xx); 7 a waited-for rollout ended other than SUCCEEDED."
    })
public final class Ferry {
  /** Exit code: the hub refused the request. */
  static final int REFUSED = 1;

  /** Exit code: bad command line (picocli's own). */
  static final int USAGE = 2;

  /** Exit code: no or a refused token. */
  static final int UNAUTHORIZED = 3;

  /** Exit code: no such thing. */
  static final int NOT_FOUND = 4;

  /** Exit code: the thing is in a state that does not allow it. */
  static final int CONFLICT = 5;

  /** Exit code: the hub cannot be reached or failed. */
  static final int UNAVAILABLE = 6;

  /** Exit code: a rollout waited for ended other than SUCCEEDED. */
  static final int ROLLOUT_NOT_SUCCEEDED = 7;

  private Ferry() {}

  /**
   * Runs a command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(
        run(
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            args));
  }

  /**
   * Runs a command line.
   *
   * @param out where results go
   * @param err where errors and progress go
   * @param args the arguments
   * @return the exit code
   */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine line = new CommandLine(new Ferry()).setOut(out).setErr(err);
    return line.setExecutionExceptionHandler(Ferry::failed).execute(args);
  }

  private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof HubException failure) {
      command.getErr().println("ferry: " + failure.getMessage());
      return failure.exitCode();
    }
    if (e instanceof TrustException failure) {
      command.getErr().println("ferry: " + failure.getMessage());
      return REFUSED;
    }
    if (e instanceof FileSystemException file) {
      command.getErr().println("ferry: " + file.getFile() + ": " + why(file));
      return USAGE;
    }
    if (e instanceof FileNotFoundException file) {
      command.getErr().println("ferry: " + file.getMessage());
      return USAGE;
    }
    throw e;
  }

  /** Why a file named on the command line could not be used, as {@code ls} would say it. */
  private static String why(FileSystemException e) {
    if (e.getReason() != null) {
      return e.getReason();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    return e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Ferry.class.getPackage().getImplementationVersion();
      return new String[] {"ferry " + (version == null ? "(development build)" : version)};
    }
  }
}
