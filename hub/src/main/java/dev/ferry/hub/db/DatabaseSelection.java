package dev.ferry.hub.db;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Chooses the database at start-up, so that one built hub runs on either: PostgreSQL when {@code
 * ferry.hub.db.url} is set, else the embedded H2 file database. Quarkus fixes each datasource's
 * kind at build time; both are built in and this activates exactly one.
 */
public final class DatabaseSelection implements ConfigSourceFactory {
  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    boolean external = isExternal(context.getValue("ferry.hub.db.url"));
    return List.of(
        new PropertiesConfigSource(
            Map.of(
                "quarkus.datasource.embedded.active", String.valueOf(!external),
                "quarkus.datasource.postgresql.active", String.valueOf(external)),
            "ferry-database-selection",
            275));
  }

  static boolean isExternal(ConfigValue url) {
    return url != null && url.getValue() != null && !url.getValue().isBlank();
  }
}
