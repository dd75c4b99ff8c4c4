package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtException.OrtErrorCode;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BlameTest {
  private int goldenRuns;

  private BooleanSupplier golden(boolean passes) {
    return () -> {
      goldenRuns++;
      return passes;
    };
  }

  @Test
  void invalidArgument_isTheRequestsWithoutRunningTheGoldenCases() {
    assertEquals(Blame.REQUEST, Blame.of(OrtErrorCode.ORT_INVALID_ARGUMENT, golden(false)));
    assertEquals(0, goldenRuns);
  }

  @Test
  void aFailureInputsMayCause_isTheRequestsWhileTheGoldenCasesStillPass() {
    int codes = 0;
    for (OrtErrorCode code :
        new OrtErrorCode[] {
          OrtErrorCode.ORT_FAIL,
          OrtErrorCode.ORT_RUNTIME_EXCEPTION,
          OrtErrorCode.ORT_NOT_IMPLEMENTED
        }) {
      assertEquals(Blame.REQUEST, Blame.of(code, golden(true)), code.name());
      assertEquals(Blame.VERSION, Blame.of(code, golden(false)), code.name());
      codes++;
    }
    assertEquals(3, codes);
    assertEquals(6, goldenRuns);
  }

  @Test
  void otherFailures_areTheVersionsWithoutRunningTheGoldenCases() {
    assertEquals(Blame.VERSION, Blame.of(OrtErrorCode.ORT_EP_FAIL, golden(true)));
    assertEquals(Blame.VERSION, Blame.of(OrtErrorCode.ORT_ENGINE_ERROR, golden(true)));
    assertEquals(0, goldenRuns);
  }
}
