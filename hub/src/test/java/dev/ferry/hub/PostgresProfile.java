package dev.ferry.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub on PostgreSQL from {@code integration-tests/services.sh} (started if it is not running,
 * stopped when the test JVM exits if this started it), with a fresh schema per test JVM.
 */
public class PostgresProfile extends HubTestProfile {
  private static final String URL = startPostgres();

  private static String startPostgres() {
    Path script =
        Path.of(System.getProperty("ferry.root", "..")).resolve("integration-tests/services.sh");
    if (run(script, "status", "postgres") != 0) {
      if (run(script, "start", "postgres") != 0) {
        throw new IllegalStateException(
            "cannot start PostgreSQL; run integration-tests/services.sh install first");
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> run(script, "stop", "postgres")));
    }
    String port = System.getenv().getOrDefault("FERRY_PG_PORT", "15432");
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/ferry?currentSchema=t"
        + ProcessHandle.current().pid();
  }

  private static int run(Path script, String... args) {
    try {
      Path log = Files.createTempFile("ferry-services", ".log");
      List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
      command.addAll(List.of(args));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      if (process.exitValue() != 0 && !args[0].equals("status")) {
        System.err.println(Files.readString(log, StandardCharsets.UTF_8));
      }
      Files.deleteIfExists(log);
      return process.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("ferry.hub.db.url", URL);
    config.put("ferry.hub.db.username", "ferry");
    config.put("ferry.hub.db.password", "ferry");
    config.put("quarkus.flyway.postgresql.create-schemas", "true");
    config.put("quarkus.flyway.postgresql.schemas", "t" + ProcessHandle.current().pid());
    return config;
  }
}
