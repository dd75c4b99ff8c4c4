package dev.ferry.hub.db;

import dev.ferry.hub.config.HubConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;

/** The active database, and transactions on it in plain JDBC. */
@ApplicationScoped
public class Database {
  /** Work inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * Runs the work.
     *
     * @param connection the transaction's connection
     * @return the result
     * @throws SQLException on a database error; the transaction rolls back
     */
    T run(Connection connection) throws SQLException;
  }

  @Inject HubConfig config;

  @Inject
  @io.quarkus.agroal.DataSource("embedded")
  Instance<AgroalDataSource> embedded;

  @Inject
  @io.quarkus.agroal.DataSource("postgresql")
  Instance<AgroalDataSource> postgresql;

  /** Whether the hub runs on PostgreSQL rather than the embedded database. */
  public boolean isPostgres() {
    return config.db().url().filter(url -> !url.isBlank()).isPresent();
  }

  /**
   * Runs work in a transaction: committed when it returns, rolled back when it throws.
   *
   * @param work the work
   * @return its result
   * @param <T> the result type
   */
  public <T> T transaction(Work<T> work) {
    AgroalDataSource source = isPostgres() ? postgresql.get() : embedded.get();
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }
}
