package dev.ferry.hub.db;

import java.sql.SQLException;
import java.util.Set;

/** A database operation failed for a reason that is not the caller's. */
public final class DatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Lock timeout (H2 {@code HYT00}, PostgreSQL {@code 55P03}), serialization failure and deadlock:
   * concurrent requests got in each other's way, and the same request succeeds when retried.
   */
  private static final Set<String> CONTENTION = Set.of("HYT00", "55P03", "40001", "40P01");

  /**
   * Wraps a failure of the database.
   *
   * @param cause the failure
   */
  public DatabaseException(SQLException cause) {
    super("database error: " + cause.getMessage(), cause);
  }

  /** The SQL state of the failure, for example {@code 23505} for a unique violation. */
  public String sqlState() {
    return ((SQLException) getCause()).getSQLState();
  }

  /** Whether concurrent work got in the way, so the same request may succeed when retried. */
  public boolean isContention() {
    return sqlState() != null && CONTENTION.contains(sqlState());
  }
}
