package dev.ferry.hub;

import dev.ferry.protocol.testing.Services;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub on PostgreSQL from {@code integration-tests/services.sh}, a fresh schema per test JVM.
 */
public class PostgresProfile extends HubTestProfile {
  private static final String SCHEMA = "t" + ProcessHandle.current().pid();

  @Override
  public Map<String, String> getConfigOverrides() {
    Services.start("postgres");
    String port = System.getenv().getOrDefault("FERRY_PG_PORT", "15432");
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put(
        "ferry.hub.db.url",
        "jdbc:postgresql://127.0.0.1:" + port + "/ferry?currentSchema=" + SCHEMA);
    config.put("ferry.hub.db.username", "ferry");
    config.put("ferry.hub.db.password", "ferry");
    config.put("quarkus.flyway.postgresql.create-schemas", "true");
    config.put("quarkus.flyway.postgresql.schemas", SCHEMA);
    return config;
  }
}
