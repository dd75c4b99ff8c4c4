package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.testing.NpmModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real pretrained model: PaddleOCR's text direction classifier, from the npm registry. */
class PaddleOcrClassifierTest {
  @Test
  void inspectAndSmoke_workOnThePretrainedClassifierWithAHint() throws Exception {
    Path model = NpmModels.ocr(NpmModels.OCR_CLS);

    ModelSignature signature = OnnxInspector.inspect(model);
    GoldenCase smoke =
        GoldenVectorRunner.run(model, signature, null, ShapeHints.parse("x=1,3,48,192"), 42)
            .cases()
            .get(0);

    assertEquals("x", signature.inputs().get(0).name());
    assertEquals(Datatype.FP32, signature.inputs().get(0).datatype());
    assertEquals(List.of(-1L, 3L, -1L, -1L), signature.inputs().get(0).shape());
    Tensor probabilities = smoke.outputs().get(0);
    assertEquals(List.of(1L, 2L), probabilities.shape());
    double sum = probabilities.data().stream().mapToDouble(p -> (Double) p).sum();
    assertEquals(1.0, sum, 1e-5, "softmax over the two directions");
  }
}
