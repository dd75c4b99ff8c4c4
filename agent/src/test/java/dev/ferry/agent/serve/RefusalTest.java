package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class RefusalTest {
  @Test
  void callersMistakes_are4xxWithTheirMessage() {
    assertEquals(
        new Refusal(400, "inputs must be a non-empty array, got null"),
        Refusal.of(new InvalidRequestException("inputs must be a non-empty array, got null")));
    assertEquals(
        new Refusal(404, "unknown model 'x'; serving []"),
        Refusal.of(new UnknownModelException("unknown model 'x'; serving []")));
    assertEquals(
        new Refusal(413, "tensors take 9 bytes"),
        Refusal.of(new TensorBudgetException("tensors take 9 bytes")));
    assertEquals(
        new Refusal(400, "request body not read: Connection reset"),
        Refusal.of(new IOException("Connection reset")));
  }

  @Test
  void busy_is503WithRetryAfter() {
    assertEquals(
        new Refusal(503, "2 inferences are running", Map.of("Retry-After", "1")),
        Refusal.of(new TooManyInferencesException("2 inferences are running")));
  }

  @Test
  void workRefusedAsTheAgentStops_is503WithRetryAfter() {
    assertEquals(
        new Refusal(503, "the agent is stopping; retry later", Map.of("Retry-After", "1")),
        Refusal.of(new RejectedExecutionException("event executor terminated")));
  }

  @Test
  void aDefect_is500WithoutItsDetails() {
    assertEquals(
        new Refusal(500, "internal error"),
        Refusal.of(new IllegalStateException("secret detail of a defect")));
  }
}
