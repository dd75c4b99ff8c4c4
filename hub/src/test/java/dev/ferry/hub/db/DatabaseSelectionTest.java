package dev.ferry.hub.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseSelectionTest {
  private static final String OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";

  @Test
  void embeddedUrl_makesARelativeDataDirAbsolute() {
    String cwd = Path.of("").toAbsolutePath().toString();
    assertEquals(
        "jdbc:h2:file:" + cwd + "/data/db/ferry" + OPTIONS, DatabaseSelection.embeddedUrl("data"));
    assertEquals(
        "jdbc:h2:file:" + cwd + "/ferry-data/db/ferry" + OPTIONS,
        DatabaseSelection.embeddedUrl(null));
    assertEquals(
        "jdbc:h2:file:/srv/ferry/db/ferry" + OPTIONS, DatabaseSelection.embeddedUrl("/srv/ferry/"));
  }

  @Test
  void checkPostgresUrl_acceptsAJdbcUrl_andRefusesOthersShowingOnlyTheirScheme() {
    DatabaseSelection.checkPostgresUrl("jdbc:postgresql://db.example.com:5432/ferry");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DatabaseSelection.checkPostgresUrl("postgres://ferry:s3cret@db:5432/ferry"));
    assertEquals(
        "ferry.hub.db.url: a PostgreSQL JDBC URL starts with jdbc:postgresql:, this one with"
            + " 'postgres:'; use jdbc:postgresql://host:5432/ferry, with the password in"
            + " ferry.hub.db.password",
        e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"));

    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> DatabaseSelection.checkPostgresUrl("db.example.com/ferry"))
            .getMessage()
            .contains("this one with no scheme"));
  }
}
