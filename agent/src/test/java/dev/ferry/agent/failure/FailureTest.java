package dev.ferry.agent.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureTest {
  @Test
  void text_isTheWireFormTheAgentHasAlwaysSent() {
    assertEquals(
        "RELEASE_ROLLBACK: releaseSeq 2 of another artifact is not above the installed 2",
        new Failure(
                Reason.RELEASE_ROLLBACK,
                "releaseSeq 2 of another artifact is not above the installed 2")
            .text());
    assertEquals(
        "ROLLED_BACK: error rate 0.5", new Failure(Reason.ROLLED_BACK, "error rate 0.5").text());
    assertEquals("UNAVAILABLE: manifest x", new Failure(Reason.UNAVAILABLE, "manifest x").text());
    assertEquals("cache: gone", new Failure(Reason.CACHE, "gone").text());
    assertEquals(
        "golden case 0 output 'y' differs",
        new Failure(Reason.VERSION_REJECTED, "golden case 0 output 'y' differs").text());
    assertEquals("interrupted", new Failure(Reason.INTERRUPTED, "interrupted").text());
  }

  @Test
  void parse_readsEveryLabelledReasonBack() {
    List<Reason> labelled =
        Arrays.stream(Reason.values()).filter(reason -> !reason.label().isEmpty()).toList();
    for (Reason reason : labelled) {
      Failure failure = new Failure(reason, "detail: with a colon");
      assertEquals(failure, Failure.parse(failure.text()));
    }
    assertEquals(24, labelled.size());
  }

  @Test
  void parse_keepsTextWithoutALabelAsItIs() {
    Failure failure = Failure.parse("model m.onnx does not load on CPU: bad");
    assertEquals(Reason.VERSION_REJECTED, failure.reason());
    assertEquals("model m.onnx does not load on CPU: bad", failure.text());
  }

  @Test
  void retryable_onlyWhereTryingLaterCanHelp() {
    List<Reason> retryable = Arrays.stream(Reason.values()).filter(Reason::retryable).toList();
    assertEquals(
        List.of(
            Reason.STALLED,
            Reason.UNAVAILABLE,
            Reason.DISK_FULL,
            Reason.CACHE,
            Reason.INTERRUPTED,
            Reason.DEFERRED,
            Reason.INTERNAL_ERROR),
        retryable);
    assertTrue(Reason.INTERNAL_ERROR.retryable());
    assertFalse(Reason.VERSION_REJECTED.retryable());
  }
}
