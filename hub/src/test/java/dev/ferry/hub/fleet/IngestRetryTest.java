package dev.ferry.hub.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.db.DatabaseException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A database outage is waited out; a message the database refuses for its content is dropped. */
class IngestRetryTest {
  private final List<List<String>> stored = new ArrayList<>();
  private final List<String> deadLettered = new ArrayList<>();
  private final List<Duration> pauses = new ArrayList<>();
  private int outagesLeft;

  private IngestRetry<String> retry() {
    return new IngestRetry<>(
        "messages",
        this::store,
        (message, cause) -> deadLettered.add(message + ": " + cause.getMessage()),
        pauses::add,
        Duration.ofSeconds(1),
        () -> true);
  }

  /** Fails while the outage lasts; then refuses any transaction holding "bad" or "huge". */
  private void store(List<String> messages) {
    if (outagesLeft > 0) {
      outagesLeft--;
      throw new DatabaseException(new SQLException("Connection refused", "08001"));
    }
    if (messages.contains("bad")) {
      throw new DatabaseException(new SQLException("value too long for VARCHAR(128)", "22001"));
    }
    if (messages.contains("huge")) {
      throw new ArithmeticException("long overflow");
    }
    stored.add(List.copyOf(messages));
  }

  @Test
  void outage_isRetriedUntilTheDatabaseIsBack() throws Exception {
    outagesLeft = 3;
    retry().storeAll(List.of("a", "b"));
    assertEquals(List.of(List.of("a", "b")), stored);
    assertEquals(List.of(), deadLettered);
    assertEquals(3, pauses.size());
  }

  @Test
  void contentFailure_dropsOnlyTheMessagesThatCauseIt() throws Exception {
    retry().storeAll(List.of("a", "bad", "b", "huge", "c"));
    assertEquals(List.of(List.of("a"), List.of("b"), List.of("c")), stored);
    assertEquals(
        List.of("bad: database error: value too long for VARCHAR(128)", "huge: long overflow"),
        deadLettered);
    assertEquals(List.of(), pauses);
  }

  @Test
  void causes_areTheContentsForDataAndConstraintErrorsOnly() {
    assertTrue(IngestRetry.causedByContent(database("22003")));
    assertTrue(IngestRetry.causedByContent(database("23505")));
    assertTrue(IngestRetry.causedByContent(new IllegalArgumentException("counts[0]")));
    assertFalse(IngestRetry.causedByContent(database("08006")));
    assertFalse(IngestRetry.causedByContent(database("40001")));
    assertFalse(IngestRetry.causedByContent(database("57P01")));
    assertFalse(IngestRetry.causedByContent(database(null)));
  }

  private static DatabaseException database(String state) {
    return new DatabaseException(new SQLException("failed", state));
  }
}
