package dev.ferry.hub.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
