package dev.ferry.hub.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Lets one session wait longer for a row lock than the embedded database's default (H2: 1 s) while
 * it takes a lock that serialises a caller's concurrent requests, then puts the default back;
 * PostgreSQL waits without a limit already, so there it does nothing.
 */
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
