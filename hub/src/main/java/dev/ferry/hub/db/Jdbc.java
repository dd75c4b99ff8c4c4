package dev.ferry.hub.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Statements in a few lines: parameters bound in order (an {@link Instant} as a timestamp, an enum
 * by its name, a collection as one parameter per element, null as a null string), rows read by a
 * function.
 */
public final class Jdbc {
  private Jdbc() {}

  /** Reads the current row of a result. */
  @FunctionalInterface
  public interface Row<T> {
    /**
     * Reads it.
     *
     * @param row the result, on the row to read
     * @return the value
     * @throws SQLException on a database error
     */
    T read(ResultSet row) throws SQLException;
  }

  /**
   * Runs a query.
   *
   * @param c the transaction
   * @param sql the query
   * @param row reads each row
   * @param params its parameters, in order
   * @return the rows read
   * @param <T> what a row is read as
   * @throws SQLException on a database error
   */
  public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      bind(statement, params);
      try (ResultSet result = statement.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (result.next()) {
          rows.add(row.read(result));
        }
        return rows;
      }
    }
  }

  /**
   * Runs an update.
   *
   * @param c the transaction
   * @param sql the statement
   * @param params its parameters, in order
   * @return how many rows it changed
   * @throws SQLException on a database error
   */
  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      bind(statement, params);
      return statement.executeUpdate();
    }
  }

  /**
   * Runs one statement for many rows of parameters, as a batch; nothing when there are none.
   *
   * @param c the transaction
   * @param sql the statement
   * @param rows each row's parameters, in order
   * @throws SQLException on a database error
   */
  public static void batch(Connection c, String sql, List<List<Object>> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (List<Object> row : rows) {
        bind(statement, row.toArray());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /**
   * Whether a connection is to PostgreSQL, where many rows go in one statement as arrays (a {@code
   * String[]} parameter binds as {@code varchar[]}, a {@code Long[]} as {@code bigint[]}).
   *
   * @param c the connection
   * @return true on PostgreSQL, false on the embedded database
   * @throws SQLException on a database error
   */
  public static boolean isPostgres(Connection c) throws SQLException {
    return c.getMetaData().getURL().startsWith("jdbc:postgresql:");
  }

  /** {@code (?, ?, …)}: the parameters of an IN list of {@code count} values. */
  public static String in(int count) {
    return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
  }

  /**
   * Binds a timestamp that may be null.
   *
   * @param statement the statement
   * @param index the parameter's index, from 1
   * @param at the time, or null
   * @throws SQLException on a database error
   */
  public static void setTime(PreparedStatement statement, int index, Instant at)
      throws SQLException {
    if (at == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setTimestamp(index, Timestamp.from(at));
    }
  }

  /**
   * Reads a timestamp that may be null.
   *
   * @param row the result, on its row
   * @param index the column's index, from 1
   * @return the time, or null
   * @throws SQLException on a database error
   */
  public static Instant time(ResultSet row, int index) throws SQLException {
    Timestamp at = row.getTimestamp(index);
    return at == null ? null : at.toInstant();
  }

  private static void bind(PreparedStatement statement, Object... params) throws SQLException {
    int index = 1;
    for (Object param : params) {
      if (param instanceof Collection<?> values) {
        for (Object value : values) {
          bindOne(statement, index++, value);
        }
      } else {
        bindOne(statement, index++, param);
      }
    }
  }

  private static void bindOne(PreparedStatement statement, int index, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else if (value instanceof Instant at) {
      statement.setTimestamp(index, Timestamp.from(at));
    } else if (value instanceof Enum<?> name) {
      statement.setString(index, name.name());
    } else if (value instanceof String[] texts) {
      statement.setArray(index, statement.getConnection().createArrayOf("varchar", texts));
    } else if (value instanceof Long[] numbers) {
      statement.setArray(index, statement.getConnection().createArrayOf("bigint", numbers));
    } else {
      statement.setObject(index, value);
    }
  }
}
