package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.testing.OnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors whose data lives outside the model are found wherever they are, before ORT opens it. */
class ExternalDataCheckTest {
  private static final String REFUSED =
      "tensor 'W' keeps its data outside the model (external_data); publish a model with every"
          + " tensor's data inside the .onnx file";

  @TempDir Path dir;

  @Test
  void anInitializerWithExternalData_isRefusedByName() throws Exception {
    Path model = dir.resolve("initializer.onnx");
    OnnxModels.externalData(model, "admin.token", false);
    assertEquals(
        REFUSED,
        assertThrows(ExternalDataException.class, () -> ExternalDataCheck.check(model))
            .getMessage());
  }

  @Test
  void aConstantInASubgraphWithExternalData_isRefusedByName() throws Exception {
    Path model = dir.resolve("constant.onnx");
    OnnxModels.externalData(model, "keys/release.key", true);
    assertEquals(
        REFUSED,
        assertThrows(ExternalDataException.class, () -> ExternalDataCheck.check(model))
            .getMessage());
  }

  @Test
  void modelsWithTheirDataInside_pass() throws Exception {
    Path model = dir.resolve("inside.onnx");
    OnnxModels.matMulAdd(model, "x", 1, 4, 2, 7);
    ExternalDataCheck.check(model);
    // left to ONNX Runtime, whose reason users know
    ExternalDataCheck.check(Files.writeString(dir.resolve("not.onnx"), "this is not a model"));
  }
}
