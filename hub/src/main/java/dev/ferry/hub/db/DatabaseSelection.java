package dev.ferry.hub.db;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Chooses the database at start-up, so that one built hub runs on either: PostgreSQL when {@code
 * ferry.hub.db.url} is set, else the embedded H2 file database. Quarkus fixes each datasource's
 * kind at build time; both are built in and this activates exactly one.
 */
public final class DatabaseSelection implements ConfigSourceFactory {
  private static final String POSTGRES_JDBC = "jdbc:postgresql:";

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    boolean external = isExternal(context.getValue("ferry.hub.db.url"));
    ConfigValue dataDir = context.getValue("ferry.hub.data-dir");
    return List.of(
        new PropertiesConfigSource(
            Map.of(
                "quarkus.datasource.embedded.active", String.valueOf(!external),
                "quarkus.datasource.postgresql.active", String.valueOf(external),
                "quarkus.datasource.embedded.jdbc.url",
                    embeddedUrl(dataDir == null ? null : dataDir.getValue())),
            "ferry-database-selection",
            275));
  }

  /**
   * The embedded database's JDBC URL under the data directory. H2 refuses paths implicitly relative
   * to the working directory, so the path is made absolute. H2 is kept from closing the database in
   * its own JVM shutdown hook, which runs beside the hub's: the database closes when the hub closes
   * its connection pool, after its background jobs have stopped.
   *
   * @param dataDir {@code ferry.hub.data-dir}, or null for the default
   * @return the JDBC URL
   */
  static String embeddedUrl(String dataDir) {
    Path dir = Path.of(dataDir == null || dataDir.isBlank() ? "./ferry-data" : dataDir);
    return "jdbc:h2:file:"
        + dir.toAbsolutePath().normalize().resolve("db").resolve("ferry")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
  }

  static boolean isExternal(ConfigValue url) {
    boolean external = url != null && url.getValue() != null && !url.getValue().isBlank();
    if (external) {
      checkPostgresUrl(url.getValue());
    }
    return external;
  }

  /**
   * Refuses an external URL the PostgreSQL driver would refuse, at once and by name. The message
   * shows only the URL's scheme: a URL such as {@code postgres://user:secret@host/db} carries a
   * password.
   */
  static void checkPostgresUrl(String url) {
    if (!url.startsWith(POSTGRES_JDBC)) {
      int colon = url.indexOf(':');
      String scheme = colon < 0 ? "no scheme" : "'" + url.substring(0, colon + 1) + "'";
      throw new IllegalArgumentException(
          "ferry.hub.db.url: a PostgreSQL JDBC URL starts with "
              + POSTGRES_JDBC
              + ", this one with "
              + scheme
              + "; use jdbc:postgresql://host:5432/ferry, with the password in"
              + " ferry.hub.db.password");
    }
  }
}
