package dev.ferry.hub.db;

import java.sql.SQLException;

/** A database operation failed for a reason that is not the caller's. */
public final class DatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

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
}
