package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.agent.runtime.Signature;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Input bytes, plus output bytes where the request's sizes fix them, against a limit. */
class TensorBudgetTest {
  private static final Signature SIGNATURE =
      new Signature(
          List.of(new TensorSpec("x", Datatype.FP32, List.of(-1L, 4L))),
          List.of(
              new TensorSpec("y", Datatype.FP64, List.of(-1L, 1000L)),
              new TensorSpec("z", Datatype.INT8, List.of(-1L))),
          Map.of("x", List.of("batch", ""), "y", List.of("batch", ""), "z", List.of("")));

  private static ArrayTensor x(int rows) {
    return new ArrayTensor("x", Datatype.FP32, new long[] {rows, 4}, new float[rows * 4]);
  }

  private static String refusal(ArrayTensor input, long limit) {
    return assertThrows(
            TensorBudgetException.class, () -> TensorBudget.check(List.of(input), SIGNATURE, limit))
        .getMessage();
  }

  @Test
  void outputsNamedLikeAnInputDimension_areSizedFromTheRequest() {
    // 2 rows: 32 bytes in, 2 × 1000 × 8 out; z's length is known only at run time
    TensorBudget.check(List.of(x(2)), SIGNATURE, 16_032);
    assertEquals(
        "the request's tensors need 16032 bytes (inputs 32, outputs 16000), over the limit of"
            + " 16031 (ferry.agent.serve.max-tensor-bytes)",
        refusal(x(2), 16_031));
  }

  @Test
  void sizesThatOverflow_saturateAndAreRefused() {
    Signature wide =
        new Signature(
            SIGNATURE.inputs(),
            List.of(new TensorSpec("y", Datatype.FP64, List.of(-1L, 1L << 61))),
            Map.of("x", List.of("batch", ""), "y", List.of("batch", "")));
    var error =
        assertThrows(
            TensorBudgetException.class, () -> TensorBudget.check(List.of(x(1)), wide, 1024));
    assertEquals(
        "the request's tensors need 9223372036854775807 bytes (inputs 16, outputs"
            + " 9223372036854775807), over the limit of 1024 (ferry.agent.serve.max-tensor-bytes)",
        error.getMessage());
  }
}
