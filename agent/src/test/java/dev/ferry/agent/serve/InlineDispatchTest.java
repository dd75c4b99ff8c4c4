package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InlineDispatchTest {
  private final InlineDispatch dispatch = new InlineDispatch();

  @Test
  void aModelsFirstRequestGoesToAWorker() {
    assertFalse(dispatch.inline("tiny", 100));
  }

  @Test
  void aModelWhoseRequestsTakeAlmostNothingRunsInlineUnlessTheBodyIsLarge() {
    dispatch.took("tiny", 20_000);
    assertTrue(dispatch.inline("tiny", 100));
    assertTrue(dispatch.inline("tiny", InlineDispatch.INLINE_BODY_BYTES));
    assertFalse(dispatch.inline("tiny", InlineDispatch.INLINE_BODY_BYTES + 1));
    assertFalse(dispatch.inline("other", 100), "counted per model");
  }

  @Test
  void oneSlowRequestSendsTheNextOnesToTheWorkers() {
    for (int i = 0; i < 50; i++) {
      dispatch.took("tiny", 20_000);
    }
    dispatch.took("tiny", 5_000_000);
    assertFalse(dispatch.inline("tiny", 100));
    int fastAgain = 0;
    while (!dispatch.inline("tiny", 100)) {
      dispatch.took("tiny", 20_000);
      fastAgain++;
    }
    assertTrue(fastAgain > 8 && fastAgain < 60, "back inline after " + fastAgain);
  }

  @Test
  void aModelThatTakesLongerNeverRunsInline() {
    for (int i = 0; i < 100; i++) {
      dispatch.took("detector", 15_000_000);
    }
    assertFalse(dispatch.inline("detector", 100));
  }
}
