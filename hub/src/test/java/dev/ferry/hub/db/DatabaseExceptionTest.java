package dev.ferry.hub.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseExceptionTest {
  @Test
  void isContention_forLockTimeoutsDeadlocksAndSerializationFailures() {
    for (String state : new String[] {"HYT00", "55P03", "40001", "40P01"}) {
      assertTrue(new DatabaseException(new SQLException("busy", state)).isContention(), state);
    }
  }

  @Test
  void isContention_notForAUniqueViolationOrAMissingState() {
    assertFalse(new DatabaseException(new SQLException("dup", "23505")).isContention());
    assertFalse(new DatabaseException(new SQLException("odd")).isContention());
  }

  @Test
  void message_namesTheDatabasesMessage() {
    assertEquals(
        "database error: Timeout trying to lock table",
        new DatabaseException(new SQLException("Timeout trying to lock table", "HYT00"))
            .getMessage());
  }
}
