package dev.ferry.hub.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Waits longer for one row lock on H2 (default 2 s), then restores the wait; no-op elsewhere. */
public final class RowLockWait implements AutoCloseable {
  private final Connection connection;
  private final long previousMillis;

  private RowLockWait(Connection connection, long previousMillis) {
    this.connection = connection;
    this.previousMillis = previousMillis;
  }

  /**
   * Sets the session's lock timeout on H2; closing restores it.
   *
   * @param connection the transaction's connection
   * @param wait how long to wait for a lock before the database gives up
   * @return what restores the previous timeout
   * @throws SQLException when the database refuses
   */
  public static RowLockWait of(Connection connection, Duration wait) throws SQLException {
    if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
      return new RowLockWait(null, 0);
    }
    long previous = Jdbc.query(connection, "SELECT LOCK_TIMEOUT()", row -> row.getLong(1)).get(0);
    set(connection, wait.toMillis());
    return new RowLockWait(connection, previous);
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      set(connection, previousMillis);
    }
  }

  private static void set(Connection connection, long millis) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // not transactional in H2: neither commits the open transaction nor is undone by a rollback
      statement.execute("SET LOCK_TIMEOUT " + millis);
    }
  }
}
