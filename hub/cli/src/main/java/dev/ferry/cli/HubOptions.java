package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Where the hub is, the token, and the output form: shared by every command. */
final class HubOptions {
  @Option(
      names = "--hub",
      paramLabel = "URL",
      description = "The hub's base URL (default: FERRY_HUB_URL, the config file, localhost:8080).")
  String hub;

  @Option(names = "--json", description = "Print the hub's JSON instead of a table.")
  boolean json;

  /** Environment variables; tests replace them. */
  static Map<String, String> environment = System.getenv();

  /**
   * Prints an answer: its JSON with {@code --json}, else the table made of it.
   *
   * @return the exit code, 0
   */
  int print(CommandSpec spec, Answer answer, Function<Answer, Table> table) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.json(out, answer);
    } else {
      table.apply(answer).print(out);
    }
    return 0;
  }

  HubClient client() {
    Properties config = config();
    String url =
        first(
            hub,
            environment.get("FERRY_HUB_URL"),
            config.getProperty("hub"),
            "http://localhost:8080");
    String token = first(environment.get("FERRY_TOKEN"), config.getProperty("token"), null, null);
    return new HubClient(checked(url).replaceAll("/+$", ""), token);
  }

  /** The hub's URL, if it is an http:// or https:// one with a host; a bad command line if not. */
  private static String checked(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    boolean web =
        uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
    if (!web || uri.getHost() == null) {
      throw new HubException(
          Ferry.USAGE,
          "the hub's URL '"
              + url
              + "' (--hub, FERRY_HUB_URL or 'hub' in the config file) is not an http:// or"
              + " https:// URL with a host, as https://hub.example.com");
    }
    return url;
  }

  private static Properties config() {
    String configured = environment.get("FERRY_CONFIG");
    Path file =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".config", "ferry", "cli.properties");
    Properties properties = new Properties();
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        properties.load(in);
      } catch (IOException e) {
        throw new HubException(
            Ferry.REFUSED, "cannot read the config file " + file + ": " + e.getMessage());
      }
    }
    return properties;
  }

  private static String first(String a, String b, String c, String fallback) {
    Stream<String> given = Stream.of(a, b, c).filter(v -> v != null && !v.isBlank());
    return given.map(String::strip).findFirst().orElse(fallback);
  }
}
